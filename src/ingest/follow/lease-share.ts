/**
 * How many streams a console takes when several follow the same paths: at
 * most its fair share, ceil(streams / live holders), where the streams are
 * those it sees and those other live holders read, and the holders those the
 * lease table shows alive (this one included). Pure: the lease keeper
 * (lease-keeper.ts) reads the table, asks, and takes or gives up what it says.
 *
 * A console over its share (it started first, or another joined) gives up
 * the excess, so a console that joins gets work without waiting for new
 * files; one under it takes free and expired leases, so the streams of a
 * console that stopped renewing are taken over once its leases expire.
 */
import type { LeaseTable } from '../../model/lease.js';

export interface ShareInput {
  me: string;
  /** Stream keys this console sees. */
  wanted: ReadonlySet<string>;
  /** Keys whose leases it holds now. */
  held: ReadonlySet<string>;
  table: LeaseTable;
}

export interface SharePlan {
  /** Free (or expired) keys to take, in key order. */
  take: string[];
  /** Held keys to give up. */
  shed: string[];
  share: number;
  liveHolders: number;
}

export function planShare(i: ShareInput): SharePlan {
  const holders = new Set(i.table.holders.filter((h) => h.expiresInMs > 0).map((h) => h.holder));
  holders.add(i.me);
  const others = new Set(i.table.leases.filter((l) => l.expiresInMs > 0 && l.holder !== i.me).map((l) => l.key));
  const all = new Set([...i.wanted, ...others, ...i.held]);
  const share = Math.ceil(all.size / holders.size);
  const held = [...i.held].sort();
  // Keep the first `share` held keys in key order; what it no longer sees goes first.
  const seen = held.filter((k) => i.wanted.has(k));
  const unseen = held.filter((k) => !i.wanted.has(k));
  const shed = [...unseen, ...seen.slice(share)];
  const kept = seen.slice(0, share).length;
  const free = [...i.wanted].filter((k) => !i.held.has(k) && !others.has(k)).sort();
  return { take: free.slice(0, Math.max(0, share - kept)), shed, share, liveHolders: holders.size };
}
