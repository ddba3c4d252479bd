/**
 * Incidents and the catalogue on PostgreSQL, as in the SQLite store
 * (sqlite/incident-counts.ts): per error code in a window, counts, distinct
 * orgs and woks, first and last seen, a sample and equal buckets; and the orgs
 * hit by a set of codes. Read from the requests table through requests_code_time;
 * a request counts in the bucket its minute starts in, as there.
 */
import type { AffectedOrg, IncidentCount } from '../store.js';
import type { Query } from './pg-event-reads.js';

type Totals = Omit<IncidentCount, 'buckets'>;

export class PgIncidentCounts {
  constructor(private readonly q: Query) {}

  async incidentCounts(f: { from: number; to: number; buckets: number }): Promise<IncidentCount[]> {
    const n = Math.max(1, Math.floor(f.buckets));
    const span = Math.max(1, f.to - f.from);
    const totals = await this.q<Totals>(
      `SELECT code, count(*)::int AS count, count(DISTINCT org)::int AS orgs, count(DISTINCT wok)::int AS woks,
              min(time) AS "firstSeen", max(time) AS "lastSeen",
              (SELECT s.cid FROM requests s WHERE s.code = r.code AND s.time >= $1 AND s.time <= $2 ORDER BY s.time DESC, s.id DESC LIMIT 1) AS "sampleCid"
       FROM requests r WHERE code IS NOT NULL AND time >= $1 AND time <= $2 GROUP BY code ORDER BY count DESC, code`,
      [f.from, f.to],
    );
    const byCode = new Map<string, number[]>(totals.map((t) => [t.code, new Array<number>(n).fill(0)]));
    const rows = await this.q<{ code: string; b: number; k: number }>(
      `SELECT code, least($3::bigint - 1, greatest(0, (time - time % 60000 - $1::bigint) * $3::bigint / $4::bigint))::int AS b, count(*)::int AS k
       FROM requests WHERE code IS NOT NULL AND time >= $1 AND time <= $2 GROUP BY 1, 2`,
      [f.from, f.to, n, span],
    );
    for (const r of rows) {
      const b = byCode.get(r.code);
      if (b) b[r.b] = (b[r.b] ?? 0) + r.k;
    }
    return totals.map((t) => ({ ...t, firstSeen: Number(t.firstSeen), lastSeen: Number(t.lastSeen), buckets: byCode.get(t.code)! }));
  }

  async affectedOrgs(f: { from: number; to: number; codes: string[]; limit?: number }): Promise<AffectedOrg[]> {
    if (f.codes.length === 0) return [];
    const rows = await this.q<AffectedOrg>(
      `SELECT org, count(*)::int AS count, min(time) AS "firstSeen", max(time) AS "lastSeen" FROM requests
       WHERE code = ANY($3::text[]) AND time >= $1 AND time <= $2 AND org IS NOT NULL
       GROUP BY org ORDER BY count DESC, org LIMIT $4`,
      [f.from, f.to, [...new Set(f.codes)], f.limit ?? 50],
    );
    return rows.map((r) => ({ ...r, firstSeen: Number(r.firstSeen), lastSeen: Number(r.lastSeen) }));
  }
}
