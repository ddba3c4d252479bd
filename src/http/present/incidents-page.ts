/**
 * The /incidents page's view model: per code a sparkline of its buckets as
 * bars of an inline SVG (attributes only, no inline style, as the /diag
 * strips), the times as text, and the links to its search and sample ticket;
 * the failing subsystems of the window as periods.
 */
import type { IncidentReport, WindowName } from '../../queries/incidents.js';
import { WINDOWS } from '../../queries/incidents.js';
import { period } from './diag-strip.js';
import { iso } from './event-view.js';
import { searchHref } from './incidents-json.js';
import { ago } from './ticket-page.js';

/** The sparkline's viewBox is 0 0 (buckets × 10) 24. */
export interface SparkBar {
  x: number;
  y: number;
  height: number;
  title: string;
}

export function sparkBars(buckets: readonly number[], from: number, bucketMs: number): SparkBar[] {
  const max = Math.max(1, ...buckets);
  return buckets.map((k, i) => {
    const height = k === 0 ? 1 : Math.max(3, Math.round((k / max) * 24));
    const start = from + i * bucketMs;
    return { x: i * 10, y: 24 - height, height, title: `${period(start, start + bucketMs)}: ${k}` };
  });
}

const when = (ms: number) => iso(ms).slice(0, 16).replace('T', ' ') + ' UTC';

export function incidentsPage(r: IncidentReport, now: number) {
  return {
    window: r.window,
    windows: (Object.keys(WINDOWS) as WindowName[]).map((w) => ({ name: w, href: `/incidents?window=${w}`, current: w === r.window })),
    range: period(r.from, r.to),
    json: `/v1/incidents?window=${r.window}`,
    codes: r.codes.map((c) => ({
      code: c.code,
      count: c.count,
      orgs: c.orgs,
      woks: c.woks,
      first: when(c.firstSeen),
      last: when(c.lastSeen),
      lastAgo: ago(c.lastSeen, now),
      fixSide: c.fixSide,
      catalogued: c.catalogued,
      remediation: c.remediation,
      incident: c.incident,
      sample: c.sampleCid,
      search: searchHref(c.code, r.from),
      spark: sparkBars(c.buckets, r.from, r.bucketMs),
      sparkWidth: c.buckets.length * 10,
      sparkLabel: `${c.count} over ${c.buckets.length} buckets, at most ${Math.max(0, ...c.buckets)} in one`,
    })),
    checks: r.checks.map((k) => ({ check: k.check, period: period(k.from, k.to ?? now), ongoing: k.to === null, output: k.output })),
  };
}
