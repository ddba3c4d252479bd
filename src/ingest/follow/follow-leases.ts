/**
 * The follower's side of stream leases (lease-keeper.ts): which lease each
 * open stream is read under, the first lines seen of files not read yet,
 * and, before each poll, letting go of streams whose lease was lost or is
 * being given up. The follower (follower.ts) asks before it reads a stream
 * and opens its ingester on the fenced store this hands it.
 */
import type { LeaseFence } from '../../model/lease.js';
import { LeaseLost, type Store } from '../../store/store.js';
import { fencedStore } from './fenced-store.js';
import type { Entry } from './follow-entry.js';
import type { Scan } from './follow-targets.js';
import type { LeaseGate } from './lease-keeper.js';

export class FollowLeases {
  /** Per file (entry id): the lease its open stream is read under. */
  private readonly fences = new Map<string, LeaseFence>();
  /** Per file: the first line's fingerprint last seen, for files not read (yet). */
  private readonly seen = new Map<string, string>();

  constructor(readonly gate: LeaseGate) {}

  /** Whether a stream with this first line may be read now. */
  mayRead(fingerprint: string | null | undefined): boolean {
    return !!fingerprint && this.gate.fence(fingerprint) !== null;
  }

  /** The store to read the stream into, fenced by its lease, or null when this console does not hold it. */
  open(id: string, fingerprint: string, store: Store): Store | null {
    const fence = this.gate.fence(fingerprint);
    if (!fence) return null;
    this.fences.set(id, fence);
    return fencedStore(store, fence);
  }

  saw(id: string, fingerprint: string): void {
    this.seen.set(id, fingerprint);
  }

  /** The file's stream is closed (or the file dropped). */
  untrack(id: string): void {
    this.fences.delete(id);
  }

  clear(): void {
    this.fences.clear();
  }

  /** A write was refused: another console holds the stream now. */
  lost(err: LeaseLost): void {
    this.gate.lost(err.fence);
  }

  /**
   * Before reading: a stream whose lease was lost is let go with what it read
   * uncommitted (the new holder reads it from the checkpoint); one being given
   * up is committed first, then let go — unless its file is out of sight (no
   * other console could find it), which is drained here first. A file let go
   * is seen afresh by the next scan, and read again once its lease is back.
   */
  async settle(entries: ReadonlyMap<string, Entry>, scan: Scan, flush: (e: Entry) => Promise<void>, drop: (e: Entry) => void): Promise<void> {
    const gone = new Set<string>();
    const kept = new Set<string>();
    for (const e of [...entries.values()]) {
      const f = this.fences.get(e.s.id);
      if (!f) continue;
      if (!this.gate.holds(f)) {
        drop(e);
        continue;
      }
      if (!this.gate.shedding(f.key)) continue;
      if (!scan.files.has(e.s.id)) {
        kept.add(f.key);
        continue;
      }
      try {
        await flush(e);
      } catch (err) {
        if (!(err instanceof LeaseLost)) throw err;
        this.gate.lost(err.fence);
      }
      drop(e);
      gone.add(f.key);
    }
    for (const k of gone) if (!kept.has(k)) this.gate.letGo(k);
  }

  /** Tells the keeper which streams this console sees, and which it is reading; true when it took new ones to read now. */
  report(entries: ReadonlyMap<string, Entry>): Promise<boolean> {
    const wanted = new Set<string>();
    for (const [id, e] of entries) {
      const fp = e.s.fingerprint ?? this.seen.get(id);
      if (fp) wanted.add(fp);
    }
    for (const id of this.seen.keys()) if (!entries.has(id)) this.seen.delete(id);
    const busy = new Set<string>();
    for (const [id, f] of this.fences) if (entries.get(id)?.ing) busy.add(f.key);
    return this.gate.see(wanted, busy);
  }
}
