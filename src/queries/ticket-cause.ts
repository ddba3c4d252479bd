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
import type { AuditRecord, LifecycleRecord } from '../model/activity.js';
import type { Ticket } from '../model/ticket.js';
import type { ActivityReads, RequestReads } from '../store/store.js';
import { DEFAULT_DIAG_CONFIG } from '../diag/diag-config.js';
import { probableCause } from './cause/cause.js';
import { failedAt } from './cause/facts.js';
import { relatedTo, type Related } from './related.js';

/** Lifecycle lines and changes the rules read before the failure: long enough to see where a crash loop began. */
const LOOKBACK_MS = 60 * 60_000;
/** Audit entries shown on the ticket start this long before the failure. */
const SHOWN_MS = 10 * 60_000;
/** At most this many of the wok's audit entries are shown (the newest; the wok page has them all). */
export const SHOWN_AUDITS = 20;
/** At most this many of the wok's changes of the hour before are read. */
const CHANGES_LIMIT = 200;

/** What the explanation reads, all of it known once the ticket's events are: read at once, then explained. */
export interface TicketActivity {
  related: Related | null;
  lifecycle: LifecycleRecord[];
  recent: AuditRecord[];
  /** The wok's changes of the hour before the failure, newest first (cut to the loop window by explainWith). */
  changes: AuditRecord[];
}

/** What readActivity needs of a ticket: its events, request, error and window. */
export type TicketBasis = Pick<Ticket, 'cid' | 'request' | 'error' | 'window' | 'events'>;

/**
 * The store reads behind a ticket's explanation, issued together: none waits
 * for another (on PostgreSQL each takes a pool connection of its own, so the
 * ticket pays about one round trip for them, not one each). The wok's changes
 * are read from the start of the hour before; explainWith keeps those from the
 * window the lifecycle lines call for, the same rows the narrower read would
 * give, as both end at the window's end and are read newest first.
 */
export async function readActivity(store: ActivityReads & RequestReads, t: TicketBasis): Promise<TicketActivity> {
  const wok = t.request?.wok ?? null;
  const related = relatedTo(store, t);
  // A request that did not fail has nothing to explain: its lookup stays as cheap as it was.
  if (!t.error || !wok || !t.window) return { related: await related, lifecycle: [], recent: [], changes: [] };
  const at = failedAt(t);
  const [rel, lifecycle, recent, changes] = await Promise.all([
    related,
    store.lifecycle({ wok, from: at - LOOKBACK_MS, to: at + 60_000, limit: 1000 }),
    store.audits({ wok, from: shownFrom(t.window, at), to: t.window.to, limit: SHOWN_AUDITS }),
    store.wokChanges({ wok, from: at - LOOKBACK_MS, to: t.window.to, limit: CHANGES_LIMIT }),
  ]);
  return { related: rel, lifecycle, recent, changes };
}

function shownFrom(window: { from: number }, at: number): number {
  return Math.min(window.from, at - SHOWN_MS);
}

/** The ticket with its audits, related requests and probable cause, from what readActivity read. */
export function explainWith(t: Ticket, a: TicketActivity): Ticket {
  const { related } = a;
  if (!t.error) return { ...t, audits: [], related, cause: null };
  const wok = t.request?.wok ?? null;
  if (!wok || !t.window) {
    return { ...t, audits: [], related, cause: probableCause({ ticket: t, audits: [], lifecycle: [], orgs: related?.byOrg ?? [] }) };
  }
  const at = failedAt(t);
  const from = shownFrom(t.window, at);
  // A crash loop may have begun before the shown window: its changes are read from the loop window before its oldest line.
  const oldestFn = Math.min(...a.lifecycle.filter((r) => r.role === 'functions').map((r) => r.time));
  const changesFrom = Math.max(Math.min(from, oldestFn - DEFAULT_DIAG_CONFIG.functions.loopWindowMs), at - LOOKBACK_MS);
  const audits = union(a.recent, a.changes.filter((c) => c.time >= changesFrom));
  const cause = probableCause({ ticket: t, audits, lifecycle: a.lifecycle, orgs: related?.byOrg ?? [] });
  const cited = new Set(cause?.evidence ?? []);
  return { ...t, audits: audits.filter((x) => x.time >= from || cited.has(x.eventId)), related, cause };
}

/** Both lists as one, each entry once, oldest first. */
function union(a: readonly AuditRecord[], b: readonly AuditRecord[]): AuditRecord[] {
  const byId = new Map<string, AuditRecord>();
  for (const r of [...a, ...b]) byId.set(r.eventId, r);
  return [...byId.values()].sort((x, y) => x.time - y.time || (x.eventId < y.eventId ? -1 : x.eventId > y.eventId ? 1 : 0));
}
