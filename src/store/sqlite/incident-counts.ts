/**
 * Incidents and the catalogue on SQLite: per error code in a window, counts,
 * distinct orgs and woks, first and last seen, a sample and equal buckets;
 * and, for /diag, the orgs hit by a check's codes.
 *
 * The whole minutes of the window are read from code_minutes (failed requests
 * per minute, code, org and wok, written with the failures rows), the minutes
 * cut by the window's edges from the failures rows themselves: a day's window
 * reads some thousands of rows, not every failure of the day. First and last
 * seen and the sample are index probes on failures(code, time).
 */
import type { AffectedOrg, IncidentCount, WindowFilter } from '../store.js';
import type { Db } from './open-database.js';
import type { Statements } from './statements.js';

const MINUTE = 60_000;

interface Part {
  code: string;
  minute: number;
  n: number;
}

interface Totals {
  code: string;
  count: number;
  orgs: number;
  woks: number;
}

/** code_minutes again from the failures rows, after the inventory named the org of some of them. */
export function rebuildCodeMinutes(db: Db): void {
  db.exec(`DELETE FROM code_minutes;
    INSERT INTO code_minutes (minute, code, org, wok, n)
      SELECT time / 60000, code, COALESCE(org, ''), COALESCE(wok, ''), COUNT(*) FROM failures WHERE code IS NOT NULL GROUP BY 1, 2, 3, 4;`);
}

/**
 * A window as [first, last] whole minutes (code_minutes, traffic) and two edge
 * ranges in ms cut by its ends (read from the rows themselves); an empty
 * minute range when the window lies inside one minute.
 */
export function minuteParts(from: number, to: number): [number, number, number, number, number, number] {
  const first = Math.ceil(from / MINUTE);
  const last = Math.floor((to + 1) / MINUTE) - 1;
  if (first > last) return [1, 0, from, to, 1, 0];
  return [first, last, from, first * MINUTE - 1, (last + 1) * MINUTE, to];
}

export class IncidentCounts {
  constructor(private readonly st: Statements) {}

  /** The window as rows of (code, org, wok, minute, n): whole minutes from code_minutes, the cut ones from failures. */
  private static readonly PARTS = `WITH parts(code, org, wok, minute, n) AS (
      SELECT code, org, wok, minute, n FROM code_minutes WHERE minute >= ? AND minute <= ?
      UNION ALL
      SELECT code, COALESCE(org, ''), COALESCE(wok, ''), time / 60000, 1 FROM failures
      WHERE code IS NOT NULL AND ((time >= ? AND time <= ?) OR (time >= ? AND time <= ?)))`;

  /** Requests with one code in a window (optionally of one org or wok), exact, without reading every failure row. */
  codeTotal(f: WindowFilter & { code: string }): number {
    const [first, last, ...edges] = minuteParts(f.from, f.to);
    const scope = [f.org ? ' AND org = ?' : '', f.wok ? ' AND wok = ?' : ''].join('');
    const scopeArgs = [f.org, f.wok].filter((v): v is string => !!v);
    const whole = this.st.pluck(`SELECT COALESCE(SUM(n), 0) FROM code_minutes WHERE code = ? AND minute >= ? AND minute <= ?${scope}`).get(f.code, first, last, ...scopeArgs) as number;
    // Each edge a range of its own: an OR of two ranges would read every failure row of the code.
    const edge = this.st.pluck(`SELECT COUNT(*) FROM failures WHERE code = ? AND time >= ? AND time <= ?${scope}`);
    const cut = (edge.get(f.code, edges[0], edges[1], ...scopeArgs) as number) + (edge.get(f.code, edges[2], edges[3], ...scopeArgs) as number);
    return whole + cut;
  }

  incidentCounts(f: { from: number; to: number; buckets: number }): IncidentCount[] {
    const n = Math.max(1, Math.floor(f.buckets));
    const span = Math.max(1, f.to - f.from);
    const args = minuteParts(f.from, f.to);
    // Aggregated in SQL: a day of minutes is some ten thousand rows, too many to bring into JavaScript one by one.
    const totals = this.st
      .stmt(`${IncidentCounts.PARTS} SELECT code, SUM(n) AS count, COUNT(DISTINCT NULLIF(org, '')) AS orgs, COUNT(DISTINCT NULLIF(wok, '')) AS woks FROM parts GROUP BY code`)
      .all(...args) as Totals[];
    const buckets = new Map(totals.map((t) => [t.code, new Array<number>(n).fill(0)]));
    for (const p of this.st.stmt(`${IncidentCounts.PARTS} SELECT code, minute, SUM(n) AS n FROM parts GROUP BY code, minute`).all(...args) as Part[]) {
      // A request counts in the bucket its minute starts in (the window's first, for a minute begun before it).
      const b = Math.min(n - 1, Math.max(0, Math.floor(((p.minute * MINUTE - f.from) * n) / span)));
      buckets.get(p.code)![b]! += p.n;
    }
    const firstSeen = this.st.pluck('SELECT MIN(time) FROM failures WHERE code = ? AND time >= ? AND time <= ?');
    const lastSeen = this.st.pluck('SELECT MAX(time) FROM failures WHERE code = ? AND time >= ? AND time <= ?');
    const sample = this.st.pluck('SELECT cid FROM failures WHERE code = ? AND time >= ? AND time <= ? ORDER BY time DESC, id DESC LIMIT 1');
    return totals
      .map((t) => ({
        ...t,
        firstSeen: firstSeen.get(t.code, f.from, f.to) as number,
        lastSeen: lastSeen.get(t.code, f.from, f.to) as number,
        sampleCid: sample.get(t.code, f.from, f.to) as string,
        buckets: buckets.get(t.code)!,
      }))
      .sort((a, b) => b.count - a.count || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  }

  affectedOrgs(f: { from: number; to: number; codes: string[]; limit?: number }): AffectedOrg[] {
    if (f.codes.length === 0) return [];
    const codes = [...new Set(f.codes)].sort();
    const marks = codes.map(() => '?').join(', ');
    return this.st
      .stmt(
        `SELECT org, COUNT(*) AS count, MIN(time) AS firstSeen, MAX(time) AS lastSeen FROM failures
         WHERE code IN (${marks}) AND time >= ? AND time <= ? AND org IS NOT NULL
         GROUP BY org ORDER BY count DESC, org LIMIT ?`,
      )
      .all(...codes, f.from, f.to, f.limit ?? 50) as AffectedOrg[];
  }
}
