/**
 * The wok's database container stopped, crashed or restarted shortly before a
 * request that needed it (CP_EXEC_SQL_FAILED and the like) failed.
 */
import { failedAt, seconds, type CauseRule } from './facts.js';

/** Codes a stopped wok database explains. */
export const DB_CODES: ReadonlySet<string> = new Set(['CP_EXEC_SQL_FAILED', 'CP_DUMP_DB_NOT_READY']);
/** How long before the failure a stop still explains it. */
export const DB_RESTART_WINDOW_MS = 60_000;

const DOWN = new Set(['stopping', 'shutdown', 'crash', 'start', 'recovery']);

export const dbRestart: CauseRule = ({ ticket, lifecycle, audits }) => {
  const code = ticket.error?.code;
  const wok = ticket.request?.wok;
  if (!code || !DB_CODES.has(code) || !wok) return null;
  const at = failedAt(ticket);
  const db = [...lifecycle].filter((r) => r.role === 'db' && r.wok === wok).sort((a, b) => a.time - b.time);
  const marks = db.filter((r) => DOWN.has(r.state) && r.time <= at && r.time >= at - DB_RESTART_WINDOW_MS);
  if (!marks.length) return null;
  const first = marks[0]!;
  const ready = db.find((r) => r.state === 'ready' && r.time > first.time);
  const what = marks.some((m) => m.state === 'crash') ? 'crashed' : 'was restarting';
  const back = !ready ? '' : ready.time <= at ? `; it was ready again at the failure` : `; it was ready again ${seconds(ready.time - at)} after the failure`;
  // What set it off, when the audit log says: a restart asked for within the window (its entry is written when the call returns).
  const trigger = audits.find((a) => a.wok === wok && a.action === 'wok.restart' && a.time <= at && a.time >= first.time - DB_RESTART_WINDOW_MS);
  const by = trigger ? `, after ${trigger.actor ?? 'someone'} asked for wok.restart` : '';
  return {
    rule: 'db-restart',
    text: `The wok's database ${what} ${seconds(at - first.time)} before this request failed (${first.containerName ?? 'db'}${by})${back}.`,
    customerText: `Your workspace's database ${what} just before this request; retry once it is ready.`,
    evidence: [...(trigger ? [trigger.eventId] : []), ...[...marks, ...(ready ? [ready] : [])].map((r) => r.eventId)],
  };
};
