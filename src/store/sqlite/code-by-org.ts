/** Requests failing with one code in a window, per org, from the failures rows (every request with a code has one). */
import type { OrgCodeCount } from '../store.js';
import type { Statements } from './statements.js';

export function codeByOrg(st: Statements, f: { code: string; from: number; to: number }): OrgCodeCount[] {
  return st
    .stmt(
      `SELECT org, count, firstSeen, lastSeen, sampleCid FROM (
         SELECT org, COUNT(*) OVER (PARTITION BY org) AS count, MIN(time) OVER (PARTITION BY org) AS firstSeen,
                MAX(time) OVER (PARTITION BY org) AS lastSeen, cid AS sampleCid,
                ROW_NUMBER() OVER (PARTITION BY org ORDER BY time DESC, id DESC) AS rn
         FROM failures WHERE code = ? AND time >= ? AND time <= ?
       ) WHERE rn = 1 ORDER BY count DESC, org IS NULL, org`,
    )
    .all(f.code, f.from, f.to) as OrgCodeCount[];
}
