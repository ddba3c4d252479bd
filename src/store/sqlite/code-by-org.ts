/**
 * Requests failing with one code in a window, per org, from the failures rows
 * (every request with a code has one): counts and first/last seen in one
 * grouped pass over the (code, time) index, then each org's newest request
 * by an index lookup at its last-seen time. A window function over the rows
 * (count, bounds and a row number per org) cost four times as much on a busy
 * platform's fifteen minutes.
 */
import type { OrgCodeCount } from '../store.js';
import type { Statements } from './statements.js';

export function codeByOrg(st: Statements, f: { code: string; from: number; to: number }): OrgCodeCount[] {
  const groups = st
    .stmt(
      `SELECT org, COUNT(*) AS count, MIN(time) AS firstSeen, MAX(time) AS lastSeen FROM failures
       WHERE code = ? AND time >= ? AND time <= ? GROUP BY org ORDER BY count DESC, org IS NULL, org`,
    )
    .all(f.code, f.from, f.to) as Omit<OrgCodeCount, 'sampleCid'>[];
  const sample = st.pluck('SELECT cid FROM failures WHERE code = ? AND time = ? AND org IS ? ORDER BY id DESC LIMIT 1');
  return groups.map((g) => ({ ...g, sampleCid: sample.get(f.code, g.lastSeen, g.org) as string }));
}
