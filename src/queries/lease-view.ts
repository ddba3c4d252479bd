/**
 * Who reads which stream, from the lease table (model/lease.ts) and the
 * streams' checkpoints: one row per lease, named by the path of the stream
 * it covers (its key is the stream's first-line fingerprint, the key of the
 * stream's first generation), and one per console that holds leases. Shared
 * by `stats` (and GET /v1/stats) and the `ingest` check of /diag.
 */
import type { LeaseTable } from '../model/lease.js';
import type { StreamState } from '../model/stream.js';

export interface LeaseRow {
  key: string;
  path: string | null;
  holder: string;
  epoch: number;
  /** Held now: not expired nor released. */
  live: boolean;
  expiresInMs: number;
}

export interface HolderRow {
  holder: string;
  /** Renewing: its record has not expired. */
  alive: boolean;
  expiresInMs: number;
  /** Streams it holds now. */
  streams: number;
}

export interface LeaseView {
  leases: LeaseRow[];
  holders: HolderRow[];
}

export function leaseView(table: LeaseTable, streams: readonly StreamState[]): LeaseView {
  const paths = new Map(streams.map((s) => [s.stream, s.path]));
  const leases = table.leases.map((l) => ({ key: l.key, path: paths.get(l.key) ?? null, holder: l.holder, epoch: l.epoch, live: l.expiresInMs > 0, expiresInMs: l.expiresInMs }));
  const held = new Map<string, number>();
  for (const l of leases) if (l.live) held.set(l.holder, (held.get(l.holder) ?? 0) + 1);
  const holders = table.holders
    .filter((h) => h.expiresInMs > 0 || held.has(h.holder))
    .map((h) => ({ holder: h.holder, alive: h.expiresInMs > 0, expiresInMs: h.expiresInMs, streams: held.get(h.holder) ?? 0 }));
  return { leases, holders };
}
