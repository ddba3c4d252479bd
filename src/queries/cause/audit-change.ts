/**
 * Someone changed the wok just before the request failed: an audit entry of
 * the wok (a restart, an env var removed, the wok destroyed…) in the minutes
 * before the failure explains what the logs of the request alone cannot.
 */
import { WOK_CHANGES, isWokChange } from '../../model/activity.js';
import { seconds, failedAt, type CauseRule } from './facts.js';

/** How long before the failure a change still explains it. */
export const AUDIT_WINDOW_MS = 10 * 60_000;

export const auditChange: CauseRule = ({ ticket, audits }) => {
  const wok = ticket.request?.wok;
  if (!ticket.error || !wok) return null;
  const at = failedAt(ticket);
  const hits = audits
    .filter((a) => a.wok === wok && isWokChange(a.action) && a.outcome !== 'failure' && a.time <= at && a.time >= at - AUDIT_WINDOW_MS && a.cid !== ticket.cid)
    .sort((a, b) => b.time - a.time);
  const a = hits[0];
  if (!a) return null;
  return {
    rule: 'audit-change',
    text: `${a.actor ?? 'Someone'} ${WOK_CHANGES[a.action]} (${a.action}) ${seconds(at - a.time)} before this request failed.`,
    customerText: `Your workspace was changed (${a.action}) shortly before this request.`,
    evidence: [a.eventId],
  };
};
