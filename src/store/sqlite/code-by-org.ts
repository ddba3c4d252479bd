/**
 * Requests failing with one code in a window, per org: counts from the
 * per-minute counts (code_minutes, read through its (code, minute) index) for
 * the window's whole minutes and from the failures rows for the minutes its
 * ends cut; then each org's first and last time and its newest request by
 * probes on failures(code, time, org). A busy platform's fifteen minutes of
 * one code are thousands of failure rows but some hundred per-minute rows.
 */
import type { OrgCodeCount } from '../store.js';
import { minuteParts } from './incident-counts.js';
import type { Statements } from './statements.js';

export function codeByOrg(st: Statements, f: { code: string; from: number; to: number }): OrgCodeCount[] {
  const [first, last, ...edges] = minuteParts(f.from, f.to);
  const groups = st
    .stmt(
      `SELECT NULLIF(org, '') AS org, SUM(n) AS count FROM (
         SELECT org, n FROM code_minutes WHERE code = ? AND minute >= ? AND minute <= ?
         UNION ALL
         SELECT COALESCE(org, '') AS org, 1 AS n FROM failures WHERE code = ? AND time >= ? AND time <= ?
         UNION ALL
         SELECT COALESCE(org, '') AS org, 1 AS n FROM failures WHERE code = ? AND time >= ? AND time <= ?
       ) GROUP BY org`,
    )
    // Each edge a range of its own: an OR of two ranges would read every failure row of the code.
    .all(f.code, first, last, f.code, edges[0], edges[1], f.code, edges[2], edges[3]) as { org: string | null; count: number }[];
  const firstSeen = st.pluck('SELECT MIN(time) FROM failures WHERE code = ? AND time >= ? AND time <= ? AND org IS ?');
  const lastSeen = st.pluck('SELECT MAX(time) FROM failures WHERE code = ? AND time >= ? AND time <= ? AND org IS ?');
  const sample = st.pluck('SELECT cid FROM failures WHERE code = ? AND time = ? AND org IS ? ORDER BY id DESC LIMIT 1');
  return groups
    .map((g) => {
      const lastAt = lastSeen.get(f.code, f.from, f.to, g.org) as number;
      return {
        org: g.org,
        count: g.count,
        firstSeen: firstSeen.get(f.code, f.from, f.to, g.org) as number,
        lastSeen: lastAt,
        sampleCid: sample.get(f.code, lastAt, g.org) as string,
      };
    })
    .sort((a, b) => b.count - a.count || Number(a.org === null) - Number(b.org === null) || (a.org! < b.org! ? -1 : a.org! > b.org! ? 1 : 0));
}
