/**
 * What a ticket adds after its events are gathered: the wok's audit entries
 * from ten minutes before the failure to the end of the context window (and
 * any older one the cause cites), the related requests, and the probable
 * cause read from all of it (src/queries/cause/).
 */
import type { Ticket } from '../model/ticket.js';
import type { Store } from '../store/store.js';
import { DEFAULT_DIAG_CONFIG } from '../diag/diag-config.js';
import { probableCause } from './cause/cause.js';
import { failedAt } from './cause/facts.js';
import { relatedTo } from './related.js';

/** Lifecycle lines the rules read before the failure: long enough to see where a crash loop began. */
const LOOKBACK_MS = 60 * 60_000;
/** Audit entries shown on the ticket (and read by the rules) start this long before the failure. */
const SHOWN_MS = 10 * 60_000;

export async function explainTicket(store: Store, t: Ticket): Promise<Ticket> {
  const wok = t.request?.wok ?? null;
  const at = failedAt(t);
  const related = await relatedTo(store, t);
  // A request that did not fail has nothing to explain: its lookup stays as cheap as it was.
  if (!t.error) return { ...t, audits: [], related, cause: null };
  if (!wok || !t.window) {
    return { ...t, audits: [], related, cause: probableCause({ ticket: t, audits: [], lifecycle: [], orgs: related?.byOrg ?? [] }) };
  }
  // Lifecycle lines are few and cheap to read; audit entries are decoded from their blocks, so they are read
  // from SHOWN_MS before the failure only — or, when the wok's functions runtime has lines older than that (a
  // crash loop may have begun then), from the loop window before the oldest of them, to find the change behind it.
  const lifecycle = await store.lifecycle({ wok, from: at - LOOKBACK_MS, to: at + 60_000, limit: 1000 });
  const oldestFn = Math.min(...lifecycle.filter((r) => r.role === 'functions').map((r) => r.time));
  const auditsFrom = Math.min(at - SHOWN_MS, oldestFn - DEFAULT_DIAG_CONFIG.functions.loopWindowMs);
  const audits = (await store.audits({ from: Math.max(auditsFrom, at - LOOKBACK_MS), to: t.window.to, wok, limit: 500 })).sort((a, b) => a.time - b.time);
  const cause = probableCause({ ticket: t, audits, lifecycle, orgs: related?.byOrg ?? [] });
  const cited = new Set(cause?.evidence ?? []);
  const from = Math.min(t.window.from, at - SHOWN_MS);
  return { ...t, audits: audits.filter((a) => a.time >= from || cited.has(a.eventId)), related, cause };
}
