/**
 * What GET /search shows: the form's values, one row a request with every cell
 * a link that narrows the search (the parameters in the URL, so a page is a
 * permalink), the count and the link to older results.
 */
import type { RequestSummary } from '../../model/request.js';
import type { RequestPage } from '../../store/search-filter.js';
import { FIX_SIDES } from '../../store/search-filter.js';
import { SOURCES } from '../../model/event.js';
import { iso } from './event-view.js';
import { statusClass } from './ticket-page.js';

/** The raw parameters as given (already checked), in the URL's order. */
export type RawParams = Record<string, string>;

export interface SearchRow {
  cid: string;
  time: string;
  status: number;
  statusClass: string;
  code: string | null;
  method: string;
  path: string;
  org: string | null;
  user: string | null;
  wok: string | null;
  href: { ticket: string; time: string; status: string; code: string | null; route: string | null; org: string | null; user: string | null; wok: string | null };
}

export interface SearchPageModel {
  title: string;
  params: RawParams;
  fixSides: readonly string[];
  sources: readonly string[];
  filtered: boolean;
  countText: string;
  rows: SearchRow[];
  older: string | null;
  newest: string | null;
}

/** /search with the parameters plus `add` (a narrowing), without any cursor: a narrowed search starts at the newest. */
export function searchHref(params: RawParams, add: RawParams = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...params, ...add })) if (k !== 'cursor' && v !== '') q.set(k, v);
  const s = q.toString();
  return s ? `/search?${s}` : '/search';
}

function row(r: RequestSummary, p: RawParams): SearchRow {
  const narrow = (add: RawParams) => searchHref(p, add);
  return {
    cid: r.cid,
    time: iso(r.time).replace('T', ' ').replace('Z', ''),
    status: r.status,
    statusClass: statusClass(r.status),
    code: r.code,
    method: r.method,
    path: r.path,
    org: r.org,
    user: r.user,
    wok: r.wok,
    href: {
      ticket: `/tickets/${r.cid}`,
      // This request and everything older.
      time: narrow({ to: String(r.time) }),
      status: narrow({ status: String(r.status) }),
      code: r.code ? narrow({ code: r.code }) : null,
      route: r.path ? narrow({ ...(r.method ? { method: r.method } : {}), path: r.path }) : null,
      org: r.org ? narrow({ org: r.org }) : null,
      user: r.user ? narrow({ user: r.user }) : null,
      wok: r.wok ? narrow({ wok: r.wok }) : null,
    },
  };
}

export function countText(c: RequestPage['count']): string {
  const n = c.value.toLocaleString('en-US');
  return c.exact ? `${n} matching request${c.value === 1 ? '' : 's'}` : `${n}+ matching requests`;
}

export function searchPageModel(page: RequestPage, params: RawParams): SearchPageModel {
  const kept = Object.fromEntries(Object.entries(params).filter(([, v]) => typeof v === 'string' && v !== ''));
  const { cursor: _c, ...withoutCursor } = kept;
  return {
    title: 'Search',
    params: withoutCursor,
    fixSides: FIX_SIDES,
    sources: SOURCES,
    filtered: Object.keys(withoutCursor).some((k) => k !== 'limit'),
    countText: countText(page.count),
    rows: page.items.map((r) => row(r, withoutCursor)),
    older: page.next ? `${searchHref(withoutCursor)}${Object.keys(withoutCursor).length ? '&' : '?'}cursor=${encodeURIComponent(page.next)}` : null,
    newest: kept.cursor ? searchHref(withoutCursor) : null,
  };
}
