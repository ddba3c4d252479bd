/**
 * Incidents and the catalogue on SQLite: per error code in a window, counts,
 * distinct orgs and woks, first and last seen, a sample and equal buckets;
 * and, for /diag, the orgs hit by a check's codes. Read from the failures rows
 * (every request with a code has one), through failures_code_time: a few
 * grouped scans of the window, never the events.
 */
import type { AffectedOrg, IncidentCount } from '../store.js';
import type { Statements } from './statements.js';

interface Totals {
  code: string;
  count: number;
  orgs: number;
  woks: number;
  firstSeen: number;
  lastSeen: number;
  sampleCid: string;
}

export class IncidentCounts {
  constructor(private readonly st: Statements) {}

  incidentCounts(f: { from: number; to: number; buckets: number }): IncidentCount[] {
    const n = Math.max(1, Math.floor(f.buckets));
    const span = Math.max(1, f.to - f.from);
    const totals = this.st
      .stmt(
        `SELECT code, COUNT(*) AS count, COUNT(DISTINCT org) AS orgs, COUNT(DISTINCT wok) AS woks, MIN(time) AS firstSeen, MAX(time) AS lastSeen,
                (SELECT s.cid FROM failures s WHERE s.code = f.code AND s.time >= ? AND s.time <= ? ORDER BY s.time DESC, s.id DESC LIMIT 1) AS sampleCid
         FROM failures f WHERE code IS NOT NULL AND time >= ? AND time <= ? GROUP BY code ORDER BY count DESC, code`,
      )
      .all(f.from, f.to, f.from, f.to) as Totals[];
    const byCode = new Map<string, number[]>(totals.map((t) => [t.code, new Array<number>(n).fill(0)]));
    const rows = this.st
      .stmt(
        `SELECT code, MIN(? - 1, CAST((time - ?) * ? / ? AS INTEGER)) AS b, COUNT(*) AS k
         FROM failures WHERE code IS NOT NULL AND time >= ? AND time <= ? GROUP BY code, b`,
      )
      .all(n, f.from, n, span, f.from, f.to) as { code: string; b: number; k: number }[];
    for (const r of rows) {
      const b = byCode.get(r.code);
      if (b) b[r.b] = (b[r.b] ?? 0) + r.k;
    }
    return totals.map((t) => ({ ...t, buckets: byCode.get(t.code)! }));
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
