/**
 * The request search's filters beyond what the stores index (fix side, source,
 * method, path prefix, free text), described once and run over any store's
 * keyset-paged search. Fix side and method/path read the request summary; source
 * and free text read the request's events (by correlation id), so they scan a
 * bounded number of candidate requests per call and say when they stopped early.
 */
import type { Source } from '../model/event.js';
import type { RequestSummary } from '../model/request.js';
import type { Event } from '../model/event.js';
import { catalog } from '../catalog/catalog.js';
import { CursorError } from './cursor.js';
import type { Page, RequestCounts, SearchFilter, WindowFilter } from './store.js';

export type FixSide = 'caller' | 'state' | 'platform';
export const FIX_SIDES: readonly FixSide[] = ['caller', 'state', 'platform'];

export interface RequestFilter extends SearchFilter {
  fixSide?: FixSide;
  source?: Source;
  method?: string;
  /** The caller's user as logged (or named by the inventory from the key). */
  user?: string;
  /** Literal prefix of the path. */
  path?: string;
  /** Case-insensitive literal text in a message of the request's events. */
  q?: string;
}

/** Matches counted exactly up to this many; beyond it the count is a lower bound. */
export const COUNT_CAP = 10_000;
/** Requests whose events one call reads at most (source and free text). */
export const EVENT_SCAN_BUDGET = 1000;
/** Candidates whose events are read together (each block once), so a page that fills early reads few more than it needs. */
const EVENT_CHUNK = 100;
/** Candidates read per page from the underlying search. */
const INNER_PAGE = 500;

export interface RequestPage extends Page<RequestSummary> {
  /** Matches from the start of the search (not the cursor); `exact` false when counting stopped at a cap. */
  count: { value: number; exact: boolean };
}

/** What a store offers the runner: its indexed search and events by correlation id. */
export interface SearchSource {
  search(f: SearchFilter, cursor?: string | null): Promise<Page<RequestSummary>>;
  eventsByCid(cid: string): Promise<Event[]>;
  /** Several requests' events at once, each block or row read once. */
  eventsByCids(cids: readonly string[]): Promise<Map<string, Event[]>>;
  /** Totals, failures and per-code counts in a window: the count of a search without refinements, when offered. */
  requestCounts?(f: WindowFilter): Promise<RequestCounts>;
  /** Requests in a window, of one code when given: the count of a search by window, org, wok or code, when offered. */
  requestTotal?(f: WindowFilter & { code?: string }): Promise<number>;
}

/** The latest time a count window reaches (year 275760, Date's limit). */
const LATEST = 8.64e15;

/** The indexed part of a filter (what the store's search takes); a fix side means a failed, coded request. */
export function indexedPart(f: RequestFilter): SearchFilter {
  const { fixSide, source: _s, method: _m, user: _u, path: _p, q: _q, limit: _l, ...base } = f;
  return fixSide ? { ...base, failed: true } : base;
}

/** True when the filter needs more than the store's own search. */
export function refines(f: RequestFilter): boolean {
  return f.fixSide !== undefined || f.source !== undefined || f.method !== undefined || f.user !== undefined || f.path !== undefined || f.q !== undefined;
}

export function needsEvents(f: RequestFilter): boolean {
  return (f.source !== undefined && f.source !== 'cp') || f.q !== undefined;
}

/** A code's fix sides: the catalogue writes shared ones as `caller / state` (and `platform / BYOK`); none when uncatalogued. */
export function sidesOf(code: string): string[] {
  return (catalog.get(code)?.fixSide ?? '').split('/').map((x) => x.trim()).filter(Boolean);
}

/** The summary-only test: fix side (by the catalogue; uncatalogued codes have none), method, user, path prefix. */
export function summaryMatches(f: RequestFilter, r: RequestSummary): boolean {
  if (f.fixSide && (r.code === null || !sidesOf(r.code).includes(f.fixSide))) return false;
  if (f.method && r.method.toUpperCase() !== f.method.toUpperCase()) return false;
  if (f.user !== undefined && r.user !== f.user) return false;
  if (f.path !== undefined && !r.path.startsWith(f.path)) return false;
  return true;
}

/** The events test: one of the request's events is of the source; one message holds the text (any case). */
export function eventsMatch(f: RequestFilter, r: RequestSummary, events: readonly Event[]): boolean {
  if (f.source && f.source !== 'cp' && !events.some((e) => e.source === f.source)) return false;
  if (f.q !== undefined) {
    const needle = f.q.toLowerCase();
    const hit = (s: string | null | undefined) => s != null && s.toLowerCase().includes(needle);
    if (!hit(r.message) && !events.some((e) => hit(e.message))) return false;
  }
  return true;
}

interface Position {
  inner: string | null;
  skip: number;
}

function encodePosition(p: Position): string {
  return 'r' + Buffer.from(JSON.stringify([p.inner, p.skip])).toString('base64url');
}

function decodePosition(cursor: string | null | undefined): Position {
  if (!cursor) return { inner: null, skip: 0 };
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor.slice(1, 2048), 'base64url').toString());
    if (cursor[0] === 'r' && Array.isArray(v) && v.length === 2 && (v[0] === null || typeof v[0] === 'string') && Number.isInteger(v[1]) && v[1] >= 0 && v[1] < INNER_PAGE) {
      return { inner: v[0] as string | null, skip: v[1] as number };
    }
  } catch {
    // falls through
  }
  throw new CursorError();
}

/** Walks candidates from a position, calling `take` on each match until it returns false or the budget ends. */
async function walk(
  src: SearchSource,
  f: RequestFilter,
  from: Position,
  take: (r: RequestSummary, at: Position) => boolean,
): Promise<{ done: boolean; stoppedAt: Position | null }> {
  const base = { ...indexedPart(f), limit: INNER_PAGE };
  let pos = from;
  let eventReads = 0;
  for (;;) {
    const page = await src.search(base, pos.inner);
    let events = new Map<string, Event[]>();
    for (let i = pos.skip; i < page.items.length; i++) {
      const r = page.items[i]!;
      const at = { inner: pos.inner, skip: i };
      if (!summaryMatches(f, r)) continue;
      if (needsEvents(f)) {
        if (eventReads >= EVENT_SCAN_BUDGET) return { done: false, stoppedAt: at };
        if (!events.has(r.cid)) {
          // The events of the next candidates that pass the summary test, within the budget, read at once.
          const next = page.items.slice(i).filter((x) => summaryMatches(f, x)).slice(0, Math.min(EVENT_CHUNK, EVENT_SCAN_BUDGET - eventReads));
          events = await src.eventsByCids(next.map((x) => x.cid));
        }
        eventReads++;
        if (!eventsMatch(f, r, events.get(r.cid)!)) continue;
      }
      if (!take(r, at)) return { done: false, stoppedAt: at };
    }
    if (!page.next) return { done: true, stoppedAt: null };
    pos = { inner: page.next, skip: 0 };
  }
}

/** One page of requests matching every filter, newest first, with the count of matches. */
export async function findRequests(src: SearchSource, f: RequestFilter, cursor?: string | null): Promise<RequestPage> {
  const limit = Math.min(Math.max(f.limit ?? 50, 1), 500);
  let items: RequestSummary[];
  let next: string | null;
  if (!refines(f)) {
    const page = await src.search({ ...f, limit }, cursor);
    items = page.items;
    next = page.next;
  } else if (!cursor) {
    // The first page and the count in one walk: the page's end is where the next match stands.
    items = [];
    let value = 0;
    let after: Position | null = null;
    const run = await walk(src, f, { inner: null, skip: 0 }, (r, at) => {
      if (items.length < limit) items.push(r);
      else after ??= at;
      return ++value < COUNT_CAP;
    });
    const stop = after ?? (run.done ? null : run.stoppedAt);
    return { items, next: stop ? encodePosition(stop) : null, count: { value, exact: run.done } };
  } else {
    items = [];
    const run = await walk(src, f, decodePosition(cursor), (r) => items.length < limit && (items.push(r), true));
    next = run.stoppedAt ? encodePosition(run.stoppedAt) : null;
  }
  return { items, next, count: await countRequests(src, f) };
}

/** Matches from the start, exact up to COUNT_CAP (and, for event filters, up to the scan budget). */
export async function countRequests(src: SearchSource, f: RequestFilter): Promise<{ value: number; exact: boolean }> {
  let value = 0;
  const window = { from: f.from ?? 0, to: f.to ?? LATEST, ...(f.org ? { org: f.org } : {}), ...(f.wok ? { wok: f.wok } : {}) };
  if (!refines(f) && src.requestTotal && f.status === undefined && !f.failed) {
    // Exact from the per-minute counts of all requests, or of the code's.
    return { value: await src.requestTotal({ ...window, ...(f.code ? { code: f.code } : {}) }), exact: true };
  }
  if (!refines(f) && src.requestCounts && f.status === undefined && f.failed && !f.code) {
    // Exact from the failure rows, without reading the requests.
    return { value: (await src.requestCounts(window)).failed, exact: true };
  }
  if (!refines(f)) {
    let cursor: string | null = null;
    do {
      const page: Page<RequestSummary> = await src.search({ ...f, limit: INNER_PAGE }, cursor);
      value += page.items.length;
      cursor = page.next;
    } while (cursor && value < COUNT_CAP);
    return value >= COUNT_CAP && cursor ? { value: COUNT_CAP, exact: false } : { value, exact: true };
  }
  const run = await walk(src, f, { inner: null, skip: 0 }, () => value < COUNT_CAP && (value++, true));
  return { value, exact: run.done };
}
