/** Who a failing /diag check affects, as the page lists it: per org its failed requests and first one, each linking to its search. */
import type { Affected } from '../../diag/affected-orgs.js';
import { iso } from './event-view.js';
import { ago } from './ticket-page.js';

export interface AffectedView {
  since: string;
  searches: { code: string; href: string }[];
  rows: { org: string; count: number; first: string; firstAgo: string; href: string }[];
}

const searchOf = (code: string, from: number, to: number, org?: string) =>
  `/search?code=${encodeURIComponent(code)}${org ? `&org=${encodeURIComponent(org)}` : ''}&from=${encodeURIComponent(iso(from))}&to=${encodeURIComponent(iso(to))}`;

export function affectedView(a: Affected, now: number): AffectedView {
  return {
    since: `${iso(a.from).slice(0, 16).replace('T', ' ')} UTC (${ago(a.from, now)})`,
    searches: a.codes.map((code) => ({ code, href: searchOf(code, a.from, a.to) })),
    rows: a.orgs.map((o) => ({
      org: o.org,
      count: o.count,
      first: iso(o.firstSeen).slice(0, 19).replace('T', ' '),
      firstAgo: ago(o.firstSeen, now),
      href: searchOf(a.codes[0]!, a.from, a.to, o.org),
    })),
  };
}
