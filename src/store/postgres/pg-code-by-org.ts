/**
 * Requests failing with one code in a window, per org: the same answer as the
 * SQLite store's code-by-org.ts. One pass over the window's rows of the code
 * (requests_code_time) counts each org and takes its first and last time; the
 * newest request of each org is then one probe at its last time. A busy
 * incident's fifteen minutes hold thousands of rows of one code: ranking them
 * all per org by window functions (a sort of every row) took about three
 * times as long as this on the bench corpus.
 */
import type { OrgCodeCount } from '../store.js';

type Query = <T extends object>(sql: string, params?: unknown[]) => Promise<T[]>;

export async function pgCodeByOrg(q: Query, f: { code: string; from: number; to: number }): Promise<OrgCodeCount[]> {
  const rows = await q<OrgCodeCount>(
    `SELECT g.org, g.count, g."firstSeen", g."lastSeen", s.cid AS "sampleCid" FROM (
       SELECT org, count(*)::int AS count, min(time) AS "firstSeen", max(time) AS "lastSeen"
       FROM requests WHERE code = $1 AND time >= $2 AND time <= $3 GROUP BY org
     ) g
     CROSS JOIN LATERAL (
       SELECT r.cid FROM requests r WHERE r.code = $1 AND r.time = g."lastSeen" AND r.org IS NOT DISTINCT FROM g.org ORDER BY r.id DESC LIMIT 1
     ) s
     ORDER BY g.count DESC, g.org COLLATE "C" NULLS LAST`,
    [f.code, f.from, f.to],
  );
  return rows.map((r) => ({ ...r, count: Number(r.count), firstSeen: Number(r.firstSeen), lastSeen: Number(r.lastSeen) }));
}
