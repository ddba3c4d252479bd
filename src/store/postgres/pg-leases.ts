/**
 * Stream leases on PostgreSQL (model/lease.ts). Every expiry is reckoned on
 * the server's clock (clock_timestamp(), in epoch ms), so consoles on hosts
 * whose clocks disagree still agree on who holds what. Taking and renewing
 * is one INSERT … ON CONFLICT DO UPDATE … WHERE (free, expired or mine)
 * RETURNING per round: two consoles racing for an expired lease both lock
 * the row, and the second sees the first's new expiry and takes nothing.
 * A write fenced by a lease reads the lease row FOR SHARE in its own
 * transaction (pgCheckFence): a take-over waits until that write has
 * committed, and a write after a take-over is refused.
 */
import type { LeaseFence, LeaseTable } from '../../model/lease.js';
import { LeaseLost } from '../store.js';
import type { Client } from './pg-connect.js';
import type { Query } from './pg-event-reads.js';

const NOW = `(extract(epoch FROM clock_timestamp()) * 1000)::bigint`;

/** Holders gone this long are forgotten. */
const FORGET_HOLDERS_MS = 86_400_000;

export async function pgAcquireLeases(q: Query, holder: string, keys: readonly string[], ttlMs: number): Promise<LeaseFence[]> {
  const wanted = [...new Set(keys)].sort();
  const rows = await q<{ key: string; holder: string; epoch: number }>(
    `WITH t AS (SELECT ${NOW} AS now),
     alive AS (
       INSERT INTO lease_holders (holder, expires_at, started_at) SELECT $1, t.now + $3, t.now FROM t
       ON CONFLICT (holder) DO UPDATE SET expires_at = excluded.expires_at
     ),
     gone AS (DELETE FROM lease_holders WHERE holder <> $1 AND expires_at < (SELECT now FROM t) - ${FORGET_HOLDERS_MS})
     INSERT INTO stream_leases AS l (key, holder, epoch, expires_at, acquired_at)
     SELECT k, $1, 1, t.now + $3, t.now FROM unnest($2::text[]) AS k, t ORDER BY k
     ON CONFLICT (key) DO UPDATE SET
       epoch = CASE WHEN l.holder = excluded.holder THEN l.epoch ELSE l.epoch + 1 END,
       acquired_at = CASE WHEN l.holder = excluded.holder THEN l.acquired_at ELSE excluded.acquired_at END,
       holder = excluded.holder,
       expires_at = excluded.expires_at
     WHERE l.holder = excluded.holder OR l.expires_at <= excluded.acquired_at
     RETURNING key, holder, epoch`,
    [holder, wanted, Math.max(1, Math.round(ttlMs))],
  );
  return rows.map((r) => ({ key: r.key, holder: r.holder, epoch: r.epoch })).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

export async function pgReleaseLeases(q: Query, holder: string, keys?: readonly string[]): Promise<void> {
  await q(
    `WITH t AS (SELECT ${NOW} AS now),
     gone AS (DELETE FROM lease_holders WHERE holder = $1 AND $2::text[] IS NULL)
     UPDATE stream_leases SET expires_at = t.now FROM t
     WHERE holder = $1 AND expires_at > t.now AND ($2::text[] IS NULL OR key = ANY($2::text[]))`,
    [holder, keys ? [...keys] : null],
  );
}

export async function pgLeaseTable(q: Query): Promise<LeaseTable> {
  const now = (await q<{ now: number }>(`SELECT ${NOW} AS now`))[0]!.now;
  const leases = await q<{ key: string; holder: string; epoch: number; expires_at: number; acquired_at: number }>(
    'SELECT key, holder, epoch, expires_at, acquired_at FROM stream_leases ORDER BY key',
  );
  const holders = await q<{ holder: string; expires_at: number }>('SELECT holder, expires_at FROM lease_holders ORDER BY holder');
  return {
    leases: leases.map((r) => ({ key: r.key, holder: r.holder, epoch: r.epoch, expiresInMs: r.expires_at - now, acquiredAt: r.acquired_at })),
    holders: holders.map((r) => ({ holder: r.holder, expiresInMs: r.expires_at - now })),
  };
}

/** In the write's transaction, before anything is written: the fence's lease must still be its holder's, at its epoch. */
export async function pgCheckFence(c: Client, fence: LeaseFence): Promise<void> {
  const r = await c.query('SELECT 1 FROM stream_leases WHERE key = $1 AND holder = $2 AND epoch = $3 FOR SHARE', [fence.key, fence.holder, fence.epoch]);
  if (!r.rowCount) throw new LeaseLost(fence);
}
