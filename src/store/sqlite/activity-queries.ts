/** Reads for the wok view, the timeline and /diag: lifecycle, containers, check history. */
import type { LifecycleRecord } from '../../model/activity.js';
import type { CheckRecord, CheckStatus } from '../../model/health.js';
import type { ContainerInfo, WindowFilter } from '../store.js';
import type { Db } from './open-database.js';
import type { Statements } from './statements.js';
import { windowWhere } from '../sql-where.js';

export class ActivityQueries {
  constructor(
    private readonly db: Db,
    private readonly st: Statements,
  ) {}

  lifecycle(f: WindowFilter): LifecycleRecord[] {
    // Lifecycle is scoped by wok only: a container names no org.
    const w = windowWhere('sqlite', { from: f.from, to: f.to, wok: f.wok }, 'l');
    const rows = this.st
      .stmt(
        `SELECT l.event_id, l.container_id, c.name, l.wok, c.role, l.time, l.state, l.message FROM lifecycle l LEFT JOIN containers c ON c.id = l.container_id
         WHERE ${w.sql} ORDER BY l.time DESC, l.id DESC LIMIT ${w.arg(f.limit ?? 200)}`,
      )
      .all(...w.args) as {
      event_id: string;
      container_id: string;
      name: string | null;
      wok: string | null;
      role: string | null;
      time: number;
      state: LifecycleRecord['state'];
      message: string;
    }[];
    return rows.map((r) => ({
      eventId: r.event_id,
      containerId: r.container_id,
      containerName: r.name,
      wok: r.wok,
      role: r.role,
      time: r.time,
      state: r.state,
      message: r.message,
    }));
  }

  containers(wok: string): ContainerInfo[] {
    const rows = this.st.stmt('SELECT * FROM containers WHERE wok = ? ORDER BY role, name, id').all(wok) as {
      id: string;
      name: string | null;
      wok: string | null;
      role: string | null;
      image: string | null;
      first_seen: number | null;
      last_seen: number | null;
    }[];
    return rows.map((r) => ({ id: r.id, name: r.name, wok: r.wok, role: r.role, image: r.image, firstSeen: r.first_seen, lastSeen: r.last_seen }));
  }

  recordChecks(records: CheckRecord[]): void {
    const ins = this.st.stmt('INSERT INTO checks (check_name, status, time, output) VALUES (?, ?, ?, ?)');
    this.db.transaction(() => {
      for (const r of records) ins.run(r.check, r.status, r.time, r.output);
    }).immediate();
  }

  checkHistory(f: { from: number; to: number; check?: string }): CheckRecord[] {
    const rows = this.st
      .stmt(`SELECT check_name, status, time, output FROM checks WHERE time >= ? AND time <= ? ${f.check ? 'AND check_name = ?' : ''} ORDER BY time, id`)
      .all(...[f.from, f.to, ...(f.check ? [f.check] : [])]) as { check_name: string; status: CheckStatus; time: number; output: string | null }[];
    return rows.map((r) => ({ check: r.check_name, status: r.status, time: r.time, output: r.output }));
  }

  pruneChecks(before: number): number {
    return this.st.stmt('DELETE FROM checks WHERE time < ?').run(before).changes;
  }
}
