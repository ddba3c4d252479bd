/**
 * The same code hit many orgs in the minutes before the request: an incident
 * on the platform, not this caller's doing.
 */
import type { CauseRule } from './facts.js';

/** Orgs (the request's own included) that make a code platform-wide. */
export const MANY_ORGS = 3;

export const manyOrgs: CauseRule = ({ ticket, orgs }) => {
  const code = ticket.error?.code;
  if (!code) return null;
  const hit = orgs.filter((o) => o.count > 0);
  const names = new Set(hit.map((o) => o.org ?? ''));
  if (ticket.request?.org) names.add(ticket.request.org);
  if (names.size < MANY_ORGS) return null;
  const total = hit.reduce((n, o) => n + o.count, 0);
  return {
    rule: 'many-orgs',
    text: `${code} hit ${names.size} orgs (${total} requests) in the 15 minutes before this request: a platform incident, not this caller.`,
    customerText: 'Other customers saw the same error at the same time: it is on our side, not in your request.',
    evidence: ticket.events.filter((e) => e.code === code).map((e) => e.id),
  };
};
