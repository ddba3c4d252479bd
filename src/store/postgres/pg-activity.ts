/** The wok view's reads and /diag history on PostgreSQL: request counts, audits, lifecycle, containers, checks. */
import { WOK_CHANGES, type AuditRecord, type LifecycleRecord } from '../../model/activity.js';
import type { CheckRecord, CheckStatus } from '../../model/health.js';
import type { ContainerInfo, RequestCounts, WindowFilter } from '../store.js';
import { windowWhere } from '../sql-where.js';
import type { Query } from './pg-event-reads.js';

export class PgActivity {
  constructor(private readonly q: Query) {}

  async requestCounts(f: WindowFilter): Promise<RequestCounts> {
    const w = windowWhere('postgres', f);
    const [totals] = await this.q<{ total: number; failed: number }>(
      `SELECT count(*) AS total, count(*) FILTER (WHERE status >= 400) AS failed FROM requests WHERE ${w.sql}`,
      w.args,
    );
    const byCode: Record<string, number> = {};
    for (const r of await this.q<{ code: string; n: number }>(`SELECT code, count(*) AS n FROM requests WHERE ${w.sql} AND code IS NOT NULL GROUP BY code`, w.args)) {
      byCode[r.code] = r.n;
    }
    return { total: totals!.total, failed: totals!.failed, byCode };
  }

  async requestTotal(f: WindowFilter & { code?: string }): Promise<number> {
    const w = windowWhere('postgres', f).when('code', '=', f.code);
    const [row] = await this.q<{ n: number }>(`SELECT count(*) AS n FROM requests WHERE ${w.sql}`, w.args);
    return row!.n;
  }

  async audits(f: WindowFilter): Promise<AuditRecord[]> {
    const w = windowWhere('postgres', f);
    return this.q<AuditRecord>(
      `SELECT event_id AS "eventId", time, cid, actor, org, wok, action, outcome FROM audits WHERE ${w.sql} ORDER BY time DESC, id DESC LIMIT ${w.arg(f.limit ?? 100)}`,
      w.args,
    );
  }

  async wokChanges(f: WindowFilter): Promise<AuditRecord[]> {
    const w = windowWhere('postgres', f);
    return this.q<AuditRecord>(
      `SELECT event_id AS "eventId", time, cid, actor, org, wok, action, outcome FROM audits
       WHERE ${w.sql} AND action = ANY(${w.arg(Object.keys(WOK_CHANGES))}) ORDER BY time DESC, id DESC LIMIT ${w.arg(f.limit ?? 100)}`,
      w.args,
    );
  }

  async lifecycle(f: WindowFilter): Promise<LifecycleRecord[]> {
    // Lifecycle is scoped by wok only: a container names no org.
    const w = windowWhere('postgres', { from: f.from, to: f.to, wok: f.wok }, 'l');
    return this.q<LifecycleRecord>(
      `SELECT l.event_id AS "eventId", l.container_id AS "containerId", c.name AS "containerName", l.wok, c.role, l.time, l.state, l.message
       FROM lifecycle l LEFT JOIN containers c ON c.id = l.container_id
       WHERE ${w.sql} ORDER BY l.time DESC, l.id DESC LIMIT ${w.arg(f.limit ?? 200)}`,
      w.args,
    );
  }

  async containers(wok: string): Promise<ContainerInfo[]> {
    return this.q<ContainerInfo>(
      `SELECT id, name, wok, role, image, first_seen AS "firstSeen", last_seen AS "lastSeen" FROM containers WHERE wok = $1
       ORDER BY role NULLS FIRST, name NULLS FIRST, id`,
      [wok],
    );
  }

  async recordChecks(records: CheckRecord[]): Promise<void> {
    if (!records.length) return;
    await this.q(
      `INSERT INTO checks (check_name, status, time, output)
       SELECT check_name, status, time, output FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[]) WITH ORDINALITY AS c(check_name, status, time, output, ord) ORDER BY ord`,
      [records.map((r) => r.check), records.map((r) => r.status), records.map((r) => r.time), records.map((r) => r.output)],
    );
  }

  async checkHistory(f: { from: number; to: number; check?: string }): Promise<CheckRecord[]> {
    const rows = await this.q<{ check_name: string; status: CheckStatus; time: number; output: string | null }>(
      `SELECT check_name, status, time, output FROM checks WHERE time >= $1 AND time <= $2 ${f.check ? 'AND check_name = $3' : ''} ORDER BY time, id`,
      f.check ? [f.from, f.to, f.check] : [f.from, f.to],
    );
    return rows.map((r) => ({ check: r.check_name, status: r.status, time: r.time, output: r.output }));
  }

  async pruneChecks(before: number): Promise<number> {
    const [r] = await this.q<{ n: number }>('WITH gone AS (DELETE FROM checks WHERE time < $1 RETURNING 1) SELECT count(*) AS n FROM gone', [before]);
    return r!.n;
  }
}
