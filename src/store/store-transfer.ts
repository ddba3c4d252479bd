/**
 * Two parts of the Store (store.ts) that serve more than one console's
 * stream intake: what `copy` reads and writes as stored, and the leases by
 * which consoles following the same paths split the streams.
 */
import type { ApiToken, Operator } from '../model/access.js';
import type { Event, Unparsed } from '../model/event.js';
import type { CheckRecord } from '../model/health.js';
import type { LeaseFence, LeaseTable } from '../model/lease.js';
import type { LookupEntry } from '../model/lookup.js';

/** One stream's stored lines from an offset on (StoreTransfer.streamLines). */
export interface StreamLines {
  /** In offset order. */
  events: Event[];
  /** In offset order. */
  unparsed: Unparsed[];
  /** The offset of the next stored line, event or unparsed, not in this page; null when there is none. */
  next: number | null;
}

/**
 * What `copy` (cli/commands/copy.ts) reads from one store and writes into
 * another exactly as stored: a stream's lines in offset order, in bounded
 * pages, for the target's own write path; the health history and the lookup
 * audit in pages of whole times; operators and tokens with their hashes and
 * times (listOperators and listTokens read them); pushed batches'
 * Idempotency-Keys. Nothing is hashed again.
 */
export interface StoreTransfer {
  /** The stream's stored events and unparsed lines with offset ≥ `from`: the first `limit` of them, and where the rest begin. */
  streamLines(streamKey: string, from: number, limit: number): Promise<StreamLines>;
  /** Health records with time > `after`, oldest first: about `limit`, never some of one time's records without the rest. */
  checksAfter(after: number, limit: number): Promise<CheckRecord[]>;
  /** Lookup audit entries with time > `after`, oldest first, paged the same way. */
  lookupsAfter(after: number, limit: number): Promise<LookupEntry[]>;
  /** The newest time of a health record and of a lookup entry (null: none stored). */
  newestRecords(): Promise<{ checks: number | null; lookups: number | null }>;
  /** Lookup entries as they were recorded elsewhere, all in one transaction. */
  importLookups(entries: readonly LookupEntry[]): Promise<void>;
  /** An operator as stored elsewhere (password hash, creation, disabling); false when one of that email exists here. */
  importOperator(op: Omit<Operator, 'id'>): Promise<boolean>;
  /** A token as stored elsewhere (digest, scope, times, revocation); false when its digest, or a live token of its name, exists here. */
  importToken(token: Omit<ApiToken, 'id'>): Promise<boolean>;
  /** The Idempotency-Keys of pushed batches with key > `after`, in key order, at most `limit` (keys still being written left out). */
  idempotencyAfter(after: string, limit: number): Promise<IdempotencyEntry[]>;
  /** Idempotency-Keys as stored elsewhere, in one transaction; a key already here is kept. Answers how many were written. */
  importIdempotency(entries: readonly IdempotencyEntry[]): Promise<number>;
}

/** A pushed batch's Idempotency-Key as stored: the digest of its body and the answer it got (JSON). */
export interface IdempotencyEntry {
  key: string;
  digest: string;
  result: string;
  createdAt: number;
}

/**
 * Leases on streams (model/lease.ts), for several consoles following the same
 * paths into this store. Expiry is reckoned on the database's clock, so the
 * consoles' own clocks do not matter.
 */
export interface StreamLeases {
  /**
   * Takes or renews the leases of `keys` for `holder` for `ttlMs`: each one
   * free, expired or already its own (a renewal keeps the epoch; taking one
   * over raises it). Records the holder alive for as long. Answers the leases
   * it holds now; a key left out is held by another holder.
   */
  acquireLeases(holder: string, keys: readonly string[], ttlMs: number): Promise<LeaseFence[]>;
  /** Gives up `keys` (every lease of the holder, and the holder itself, when left out): free to take at once. */
  releaseLeases(holder: string, keys?: readonly string[]): Promise<void>;
  /** Every lease and every holder, times as the database sees them now. */
  leaseTable(): Promise<LeaseTable>;
}
