/**
 * Is it only this request? The requests with the same code on the same wok
 * around it (±5 min), and the same code platform-wide in the 15 minutes
 * before it, per org: what a ticket's Related panel shows and what the
 * many-orgs cause reads.
 */
import type { RequestSummary } from '../model/request.js';
import type { Ticket } from '../model/ticket.js';
import type { OrgCodeCount, RequestReads } from '../store/store.js';

export const SAME_WOK_MS = 5 * 60_000;
export const PLATFORM_MS = 15 * 60_000;
export const SAME_WOK_LIMIT = 20;

export interface Related {
  code: string;
  /** Other requests with the code on the request's wok within ±SAME_WOK_MS, newest first; empty without a wok. */
  sameWok: RequestSummary[];
  /** Whether more than SAME_WOK_LIMIT matched. */
  sameWokMore: boolean;
  /** The code per org in [time - PLATFORM_MS, time], this request included. */
  byOrg: OrgCodeCount[];
  window: { from: number; to: number };
}

/** The two reads go out together (on PostgreSQL, on two pool connections). */
export async function relatedTo(store: RequestReads, t: Pick<Ticket, 'cid' | 'error' | 'request'>): Promise<Related | null> {
  const code = t.error?.code;
  if (!code || !t.request) return null;
  const at = t.request.time;
  const wok = t.request.wok;
  // To the end of the request, so that it counts itself (a request is stored by its start time).
  const window = { from: at - PLATFORM_MS, to: at };
  const [page, byOrg] = await Promise.all([
    wok ? store.search({ code, wok, from: at - SAME_WOK_MS, to: at + SAME_WOK_MS, limit: SAME_WOK_LIMIT + 1 }) : null,
    store.codeByOrg({ code, ...window }),
  ]);
  const others = page ? page.items.filter((r) => r.cid !== t.cid) : [];
  const more = page ? others.length > SAME_WOK_LIMIT || page.next !== null : false;
  return { code, sameWok: others.slice(0, SAME_WOK_LIMIT), sameWokMore: more, byOrg, window };
}
