/**
 * The follow loop: a Follower cycle every `pollMs` (sooner when fs.watch on a
 * watched directory reports a change — only a hint, the poll is what counts),
 * retention when asked, and what to do when the store fails: stop with the
 * error, or — when waiting can fix it (store-outage.ts: the database is
 * restarting, failing over, busy or full) — start over from the committed
 * checkpoints after a growing pause.
 */
import { watch, type FSWatcher } from 'node:fs';
import type { PruneResult, StoreError, Store } from '../../store/store.js';
import { waitingCanFix } from '../../store/store-outage.js';
import { Follower, type FollowHooks, type FollowOptions, type FollowTotals } from './follower.js';
import { LeaseKeeper, type LeaseKeeperHooks, type LeaseSettings } from './lease-keeper.js';

export interface RunFollowOptions extends FollowHooks {
  follow?: Partial<FollowOptions>;
  /** Delete events older than this (ms; on PostgreSQL whole UTC days, Store.retentionCut); null keeps everything. */
  retainMs?: number | null;
  /** How often retention runs (default: a tenth of the retention, between 1 minute and 1 hour). */
  pruneEveryMs?: number;
  /**
   * 'stop': a store error ends the loop with that error. A callback: one that
   * waiting can fix is reported to it and ingest starts over later from the
   * committed checkpoints; any other ends the loop.
   */
  onStoreError?: 'stop' | ((e: StoreError, retryInMs: number) => void);
  /** The first cycle that succeeds after store errors, with how long ingest was paused (ms). */
  onResume?: (pausedMs: number) => void;
  onPrune?: (result: PruneResult, before: number) => void;
  /** After every cycle (status lines). */
  onCycle?: (totals: FollowTotals, files: number) => void;
  now?: () => number;
  /** Read only the streams whose leases this console holds (several consoles on one store); unset: every stream. */
  leases?: LeaseSettings & Omit<LeaseKeeperHooks, 'now'>;
}

const MAX_WATCHERS = 256;
const MAX_BACKOFF_MS = 30_000;

export async function runFollow(store: Store, roots: readonly string[], o: RunFollowOptions, signal: AbortSignal): Promise<FollowTotals> {
  const now = o.now ?? Date.now;
  const pollMs = o.follow?.pollMs ?? 250;
  const totals: FollowTotals = { lines: 0, bytes: 0, stored: 0, unparsed: 0, duplicates: 0, restarts: 0, commits: 0 };
  const keeper = o.leases ? new LeaseKeeper(store, o.leases, { onError: o.leases.onError, onRound: o.leases.onRound }) : null;
  await keeper?.start();
  const make = () => new Follower(store, roots, o.follow, { onProblem: o.onProblem, onRestart: o.onRestart }, now, keeper);
  const waker = new Waker(signal);
  const pruneEvery = o.pruneEveryMs ?? (o.retainMs ? Math.min(3_600_000, Math.max(60_000, o.retainMs / 10)) : 0);
  let lastPrune = -Infinity;
  let follower = make();
  let backoff = 0;
  let pausedAt: number | null = null;
  try {
    while (!signal.aborted) {
      try {
        await follower.cycle();
        backoff = 0;
        if (pausedAt !== null) {
          o.onResume?.(now() - pausedAt);
          pausedAt = null;
        }
        if (o.retainMs && now() - lastPrune >= pruneEvery) {
          lastPrune = now();
          const before = store.retentionCut(now() - o.retainMs);
          o.onPrune?.(await store.prune(before), before);
        }
      } catch (e) {
        follower.abandon();
        add(totals, follower.totals);
        if (!waitingCanFix(e) || o.onStoreError === undefined || o.onStoreError === 'stop') throw e;
        pausedAt ??= now();
        backoff = Math.min(MAX_BACKOFF_MS, Math.max(1000, backoff * 2));
        o.onStoreError(e, backoff);
        follower = make();
        await waker.sleep(backoff, false);
        continue;
      }
      o.onCycle?.(sum(totals, follower.totals), follower.files);
      waker.watch(follower.watchedDirs);
      await waker.sleep(pollMs, true);
    }
    await follower.close();
  } finally {
    follower.abandon();
    waker.close();
    // Given up only after the follower committed (or abandoned) what it read: free for other consoles at once.
    await keeper?.stop().catch((e: unknown) => o.leases?.onError?.(e));
  }
  return sum(totals, follower.totals);
}

function add(into: FollowTotals, t: FollowTotals): void {
  for (const k of Object.keys(into) as (keyof FollowTotals)[]) into[k] += t[k];
}

function sum(a: FollowTotals, b: FollowTotals): FollowTotals {
  const out = { ...a };
  add(out, b);
  return out;
}

/** Sleeps until the time is up, the signal aborts, or (when allowed) a watched directory changes. */
class Waker {
  private readonly watchers = new Map<string, FSWatcher>();
  private wake: (() => void) | null = null;
  private hinted = false;

  constructor(private readonly signal: AbortSignal) {}

  watch(dirs: ReadonlySet<string>): void {
    for (const [d, w] of this.watchers) {
      if (!dirs.has(d)) {
        w.close();
        this.watchers.delete(d);
      }
    }
    for (const d of dirs) {
      if (this.watchers.has(d) || this.watchers.size >= MAX_WATCHERS) continue;
      try {
        const w = watch(d, { persistent: false }, () => {
          this.hinted = true;
          this.wake?.();
        });
        w.on('error', () => {
          w.close();
          this.watchers.delete(d);
        });
        this.watchers.set(d, w);
      } catch {
        // not watchable (gone, or too many watches): polling still sees it
      }
    }
  }

  sleep(ms: number, hints: boolean): Promise<void> {
    if (this.signal.aborted) return Promise.resolve();
    if (hints && this.hinted) {
      this.hinted = false;
      // Let a burst of writes settle a little before reading.
      ms = Math.min(ms, 20);
    }
    return new Promise((resolve) => {
      let finished = false;
      let soon: NodeJS.Timeout | null = null;
      const done = () => {
        if (finished) return;
        finished = true;
        clearTimeout(timer);
        if (soon) clearTimeout(soon);
        this.signal.removeEventListener('abort', done);
        if (this.wake === hint) this.wake = null;
        resolve();
      };
      const hint = () => {
        soon ??= setTimeout(done, 20);
      };
      const timer = setTimeout(done, ms);
      this.signal.addEventListener('abort', done, { once: true });
      if (hints) this.wake = hint;
    });
  }

  close(): void {
    for (const w of this.watchers.values()) w.close();
    this.watchers.clear();
  }
}
