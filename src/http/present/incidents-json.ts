/** The JSON of /v1/incidents and /v1/catalog: times in RFC 3339, names in snake_case. */
import type { CatalogReport } from '../../queries/catalog-report.js';
import type { IncidentReport } from '../../queries/incidents.js';
import { iso } from './event-view.js';

/** Where the search for a code since a moment is (the /search page; /v1/search takes the same parameters). */
export function searchHref(code: string, from: number, to?: number): string {
  return `/search?code=${encodeURIComponent(code)}&from=${encodeURIComponent(iso(from))}${to !== undefined ? `&to=${encodeURIComponent(iso(to))}` : ''}`;
}

export function incidentsJson(r: IncidentReport) {
  return {
    window: r.window,
    from: iso(r.from),
    to: iso(r.to),
    bucket_ms: r.bucketMs,
    codes: r.codes.map((c) => ({
      code: c.code,
      count: c.count,
      orgs: c.orgs,
      woks: c.woks,
      first_seen: iso(c.firstSeen),
      last_seen: iso(c.lastSeen),
      fix_side: c.fixSide,
      catalogued: c.catalogued,
      remediation: c.remediation,
      sample: c.sampleCid,
      incident: c.incident,
      score: c.score,
      buckets: c.buckets,
      search: searchHref(c.code, r.from),
    })),
    failing_checks: r.checks.map((k) => ({ check: k.check, status: k.status, from: iso(k.from), to: k.to === null ? null : iso(k.to), output: k.output })),
  };
}

export function catalogJson(r: CatalogReport) {
  const seen = (s: { lastSeen: number | null; sampleCid: string | null }) => ({ last_seen: s.lastSeen === null ? null : iso(s.lastSeen), sample: s.sampleCid });
  return {
    at: iso(r.to),
    codes: r.catalogued.map((c) => ({
      code: c.code,
      http: c.http,
      fix_side: c.fixSide,
      group: c.group,
      remediation: c.remediation,
      seen_24h: c.seen24h,
      seen_7d: c.seen7d,
      ...seen(c),
      search: searchHref(c.code, r.from),
    })),
    uncatalogued: r.uncatalogued.map((c) => ({
      code: c.code,
      seen_24h: c.seen24h,
      seen_7d: c.seen7d,
      hint: c.hint,
      ...seen(c),
      search: searchHref(c.code, r.from),
    })),
  };
}
