/**
 * What a ticket adds after its events are gathered: the wok's audit entries
 * around the failure, the related requests, and the probable cause read from
 * all of it (src/queries/cause/).
 *
 * A busy platform's audit log is as dense as its requests, so the ticket does
 * not read all of it: it shows the wok's newest SHOWN_AUDITS entries up to the
 * end of the context window (from SHOWN_MS before the failure), and beside
 * them every change of the wok (WOK_CHANGES: restart, env delete, destroy…)
 * of the hour before, which the stores index apart. The rules read the same.
 */
import type { AuditRecord } from '../model/activity.js';
import type { Ticket } from '../model/ticket.js';
import type { ActivityReads, RequestReads } from '../store/store.js';
import { DEFAULT_DIAG_CONFIG } from '../diag/diag-config.js';
import { probableCause } from './cause/cause.js';
import { failedAt } from './cause/facts.js';
import { relatedTo } from './related.js';

/** Lifecycle lines and changes the rules read before the failure: long enough to see where a crash loop began. */
const LOOKBACK_MS = 60 * 60_000;
/** Audit entries shown on the ticket start this long before the failure. */
const SHOWN_MS = 10 * 60_000;
/** At most this many of the wok's audit entries are shown (the newest; the wok page has them all). */
export const SHOWN_AUDITS = 20;

export async function explainTicket(store: ActivityReads & RequestReads, t: Ticket): Promise<Ticket> {
  const wok = t.request?.wok ?? null;
  const at = failedAt(t);
  const related = await relatedTo(store, t);
  // A request that did not fail has nothing to explain: its lookup stays as cheap as it was.
  if (!t.error) return { ...t, audits: [], related, cause: null };
  if (!wok || !t.window) {
    return { ...t, audits: [], related, cause: probableCause({ ticket: t, audits: [], lifecycle: [], orgs: related?.byOrg ?? [] }) };
  }
  const lifecycle = await store.lifecycle({ wok, from: at - LOOKBACK_MS, to: at + 60_000, limit: 1000 });
  const from = Math.min(t.window.from, at - SHOWN_MS);
  const recent = await store.audits({ wok, from, to: t.window.to, limit: SHOWN_AUDITS });
  // A crash loop may have begun before the shown window: its changes are read from the loop window before its oldest line.
  const oldestFn = Math.min(...lifecycle.filter((r) => r.role === 'functions').map((r) => r.time));
  const changesFrom = Math.max(Math.min(from, oldestFn - DEFAULT_DIAG_CONFIG.functions.loopWindowMs), at - LOOKBACK_MS);
  const changes = await store.wokChanges({ wok, from: changesFrom, to: t.window.to, limit: 200 });
  const audits = union(recent, changes);
  const cause = probableCause({ ticket: t, audits, lifecycle, orgs: related?.byOrg ?? [] });
  const cited = new Set(cause?.evidence ?? []);
  return { ...t, audits: audits.filter((a) => a.time >= from || cited.has(a.eventId)), related, cause };
}

/** Both lists as one, each entry once, oldest first. */
function union(a: readonly AuditRecord[], b: readonly AuditRecord[]): AuditRecord[] {
  const byId = new Map<string, AuditRecord>();
  for (const r of [...a, ...b]) byId.set(r.eventId, r);
  return [...byId.values()].sort((x, y) => x.time - y.time || (x.eventId < y.eventId ? -1 : x.eventId > y.eventId ? 1 : 0));
}
