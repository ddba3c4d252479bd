/**
 * Stream leases on SQLite (model/lease.ts): the same rules as PostgreSQL's
 * (pg-leases.ts) for consoles sharing one file on one host, whose clock they
 * share too. Each round is one IMMEDIATE transaction, so two consoles never
 * both take a lease; a fenced write checks its lease inside the write's own
 * IMMEDIATE transaction (checkFence), which no take-over can interleave.
 */
import type { LeaseFence, LeaseTable as Leases } from '../../model/lease.js';
import type { Statement } from 'better-sqlite3';
import { LeaseLost } from '../store.js';
import { mapSqliteError, type Db } from './open-database.js';
import type { Statements } from './statements.js';

/** Holders gone this long are forgotten. */
const FORGET_HOLDERS_MS = 86_400_000;

interface LeaseRow {
  key: string;
  holder: string;
  epoch: number;
  expires_at: number;
  acquired_at: number;
}

export class LeaseTable {
  constructor(
    private readonly db: Db,
    private readonly st: Statements,
    private readonly clock: () => number = Date.now,
  ) {}

  acquireLeases(holder: string, keys: readonly string[], ttlMs: number): LeaseFence[] {
    const wanted = [...new Set(keys)].sort();
    const ttl = Math.max(1, Math.round(ttlMs));
    const get = this.st.stmt('SELECT key, holder, epoch, expires_at, acquired_at FROM stream_leases WHERE key = ?');
    const put = this.st.stmt(
      `INSERT INTO stream_leases (key, holder, epoch, expires_at, acquired_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT(key) DO UPDATE SET holder = excluded.holder, epoch = excluded.epoch, expires_at = excluded.expires_at, acquired_at = excluded.acquired_at`,
    );
    const run = () => {
      const now = this.clock();
      this.st
        .stmt('INSERT INTO lease_holders (holder, expires_at, started_at) VALUES (?, ?, ?) ON CONFLICT(holder) DO UPDATE SET expires_at = excluded.expires_at')
        .run(holder, now + ttl, now);
      this.st.stmt('DELETE FROM lease_holders WHERE holder <> ? AND expires_at < ?').run(holder, now - FORGET_HOLDERS_MS);
      const held: LeaseFence[] = [];
      for (const key of wanted) {
        const row = get.get(key) as LeaseRow | undefined;
        if (!row) {
          put.run(key, holder, 1, now + ttl, now);
          held.push({ key, holder, epoch: 1 });
        } else if (row.holder === holder) {
          put.run(key, holder, row.epoch, now + ttl, row.acquired_at);
          held.push({ key, holder, epoch: row.epoch });
        } else if (row.expires_at <= now) {
          put.run(key, holder, row.epoch + 1, now + ttl, now);
          held.push({ key, holder, epoch: row.epoch + 1 });
        }
      }
      return held;
    };
    try {
      return this.db.transaction(run).immediate();
    } catch (e) {
      throw mapSqliteError(e, 'taking stream leases');
    }
  }

  releaseLeases(holder: string, keys?: readonly string[]): void {
    const run = () => {
      const now = this.clock();
      const release = this.st.stmt('UPDATE stream_leases SET expires_at = ? WHERE holder = ? AND key = ? AND expires_at > ?');
      if (keys) {
        for (const key of keys) release.run(now, holder, key, now);
      } else {
        this.st.stmt('UPDATE stream_leases SET expires_at = ? WHERE holder = ? AND expires_at > ?').run(now, holder, now);
        this.st.stmt('DELETE FROM lease_holders WHERE holder = ?').run(holder);
      }
    };
    try {
      this.db.transaction(run).immediate();
    } catch (e) {
      throw mapSqliteError(e, 'releasing stream leases');
    }
  }

  leaseTable(): Leases {
    // A file of an older schema opened read-only (stats) has no lease tables: no console ever shared it.
    if (!this.st.stmt("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'stream_leases'").get()) return { leases: [], holders: [] };
    const now = this.clock();
    const leases = this.st.stmt('SELECT key, holder, epoch, expires_at, acquired_at FROM stream_leases ORDER BY key').all() as LeaseRow[];
    const holders = this.st.stmt('SELECT holder, expires_at FROM lease_holders ORDER BY holder').all() as { holder: string; expires_at: number }[];
    return {
      leases: leases.map((r) => ({ key: r.key, holder: r.holder, epoch: r.epoch, expiresInMs: r.expires_at - now, acquiredAt: r.acquired_at })),
      holders: holders.map((r) => ({ holder: r.holder, expiresInMs: r.expires_at - now })),
    };
  }
}

export const FENCE_SQL = 'SELECT 1 FROM stream_leases WHERE key = ? AND holder = ? AND epoch = ?';

/** In the write's IMMEDIATE transaction, before anything is written: the fence's lease must still be its holder's, at its epoch. */
export function checkFence(lookup: Statement, fence: LeaseFence): void {
  const row = lookup.get(fence.key, fence.holder, fence.epoch);
  if (!row) throw new LeaseLost(fence);
}
