/**
 * What a ticket adds after its events are gathered: the wok's audit entries
 * from ten minutes before the failure to the end of the context window (and
 * any older one the cause cites), the related requests, and the probable
 * cause read from all of it (src/queries/cause/).
 */
import type { Ticket } from '../model/ticket.js';
import type { Store } from '../store/store.js';
import { probableCause } from './cause/cause.js';
import { failedAt } from './cause/facts.js';
import { relatedTo } from './related.js';

/** What the rules read before the failure: long enough to see where a crash loop (or the change behind it) began. */
const LOOKBACK_MS = 60 * 60_000;
/** Audit entries shown on the ticket start this long before the failure. */
const SHOWN_MS = 10 * 60_000;

export async function explainTicket(store: Store, t: Ticket): Promise<Ticket> {
  const wok = t.request?.wok ?? null;
  const at = failedAt(t);
  const related = await relatedTo(store, t);
  if (!wok || !t.window) {
    const cause = t.error ? probableCause({ ticket: t, audits: [], lifecycle: [], orgs: related?.byOrg ?? [] }) : null;
    return { ...t, audits: [], related, cause };
  }
  const audits = (await store.audits({ from: at - LOOKBACK_MS, to: t.window.to, wok, limit: 500 })).sort((a, b) => a.time - b.time);
  let cause = null;
  if (t.error) {
    const lifecycle = await store.lifecycle({ wok, from: at - LOOKBACK_MS, to: at + 60_000, limit: 1000 });
    cause = probableCause({ ticket: t, audits, lifecycle, orgs: related?.byOrg ?? [] });
  }
  const cited = new Set(cause?.evidence ?? []);
  const from = Math.min(t.window.from, at - SHOWN_MS);
  return { ...t, audits: audits.filter((a) => a.time >= from || cited.has(a.eventId)), related, cause };
}
