/**
 * Leases on streams: when several consoles follow the same paths into one
 * store, each stream is read by the one console holding its lease. A lease
 * is taken for a holder (one console process) until an expiry the database's
 * clock sets, renewed while the holder lives, and taken over once it has
 * expired. Its epoch rises with every change of holder: a write carries the
 * lease it was read under (its fence) and is refused once that lease has
 * passed to another holder, so a console that stalled past its expiry
 * cannot double or move back a checkpoint another console has since written.
 *
 * The key is the stream's first-line fingerprint (its generation-0 stream
 * key): a renamed file, a copy and every later generation of the same first
 * line stay with one holder.
 */

/** What a write is fenced by: the holder and epoch of the lease it was read under. */
export interface LeaseFence {
  key: string;
  holder: string;
  epoch: number;
}

/** One lease as the store holds it; times relative to the database's clock when read. */
export interface StreamLease extends LeaseFence {
  /** Milliseconds until it expires (negative or zero: expired or released, free to take). */
  expiresInMs: number;
  /** Epoch ms (database clock) when the current holder took it. */
  acquiredAt: number;
}

/** A console that renews its leases: alive while `expiresInMs` > 0. */
export interface LeaseHolder {
  holder: string;
  expiresInMs: number;
}

export interface LeaseTable {
  leases: StreamLease[];
  holders: LeaseHolder[];
}
