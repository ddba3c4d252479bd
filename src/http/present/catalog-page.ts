/** The /catalog page's view model: the catalogue by group with its counts, and the codes it lacks. */
import type { CatalogReport, CatalogRow } from '../../queries/catalog-report.js';
import { iso } from './event-view.js';
import { searchHref } from './incidents-json.js';

const when = (ms: number | null) => (ms === null ? null : iso(ms).slice(0, 16).replace('T', ' ') + ' UTC');

export function catalogPage(r: CatalogReport) {
  const groups = new Map<string, CatalogRow[]>();
  for (const c of r.catalogued) groups.set(c.group, [...(groups.get(c.group) ?? []), c]);
  const row = (c: { code: string; seen24h: number; seen7d: number; lastSeen: number | null; sampleCid: string | null }) => ({
    code: c.code,
    seen24h: c.seen24h,
    seen7d: c.seen7d,
    last: when(c.lastSeen),
    sample: c.sampleCid,
    search: searchHref(c.code, r.from),
  });
  return {
    total: r.catalogued.length,
    seen: r.catalogued.filter((c) => c.seen7d > 0).length,
    groups: [...groups].map(([name, rows]) => ({
      name,
      rows: rows.map((c) => ({ ...row(c), http: c.http, fixSide: c.fixSide, remediation: c.remediation })),
    })),
    uncatalogued: r.uncatalogued.map((c) => ({ ...row(c), hint: c.hint })),
  };
}
