/** Requests failing with one code in a window, per org: the same answer as the SQLite store's code-by-org.ts. */
import type { OrgCodeCount } from '../store.js';

type Query = <T extends object>(sql: string, params?: unknown[]) => Promise<T[]>;

export async function pgCodeByOrg(q: Query, f: { code: string; from: number; to: number }): Promise<OrgCodeCount[]> {
  const rows = await q<OrgCodeCount>(
    `SELECT org, count, "firstSeen", "lastSeen", "sampleCid" FROM (
       SELECT org, count(*) OVER (PARTITION BY org)::int AS count, min(time) OVER (PARTITION BY org) AS "firstSeen",
              max(time) OVER (PARTITION BY org) AS "lastSeen", cid AS "sampleCid",
              row_number() OVER (PARTITION BY org ORDER BY time DESC, id DESC) AS rn
       FROM requests WHERE code = $1 AND time >= $2 AND time <= $3
     ) x WHERE rn = 1 ORDER BY count DESC, org COLLATE "C" NULLS LAST`,
    [f.code, f.from, f.to],
  );
  return rows.map((r) => ({ ...r, count: Number(r.count), firstSeen: Number(r.firstSeen), lastSeen: Number(r.lastSeen) }));
}
