/**
 * The follower: the I/O around the pure core (follow-state.ts). One `cycle()`
 * scans the watched paths, looks at every known file through its open
 * descriptor (so a renamed or deleted file is still drained), decides per
 * file, reads what is new into that file's StreamIngester and commits; each
 * commit writes the events together with the checkpoint that covers them.
 * A process killed at any point restarts from the committed checkpoints:
 * nothing is lost (lines not committed are read again) and nothing is doubled
 * (lines already committed sit before the checkpoint and are dropped).
 *
 * With leases (lease-keeper.ts: several consoles following the same paths
 * into one store), a stream is read only under its lease, every write is
 * fenced by it, and a stream whose lease is given up or lost is let go.
 *
 * `poll()` and `commit()` are the two halves of a cycle, apart so tests can
 * stop (crash) a follower between reading and committing.
 */
import { LeaseLost, StoreError, type Store } from '../../store/store.js';
import { DEFAULT_FOLLOW, type FollowHooks, type FollowOptions, type FollowTotals } from './follow-options.js';
import { closeQuietly, openIfSame } from './file-reads.js';
import { newEntry, observeEntry, tally, type Entry } from './follow-entry.js';
import { attachStream, readNew } from './follow-reads.js';
import { decide, observed, released, restarted, type Observation } from './follow-state.js';
import { TargetScanner, type Hit, type Scan } from './follow-targets.js';
import { FollowLeases } from './follow-leases.js';
import type { LeaseGate } from './lease-keeper.js';

export { DEFAULT_FOLLOW, type FollowHooks, type FollowOptions, type FollowTotals } from './follow-options.js';


export class Follower {
  private readonly entries = new Map<string, Entry>();
  private readonly scanner: TargetScanner;
  private readonly opts: FollowOptions;
  private readonly buf: Buffer;
  private readonly problems = new Map<string, string>();
  private lastScan: Scan | null = null;
  private readonly leases: FollowLeases | null;
  readonly totals: FollowTotals = { lines: 0, bytes: 0, stored: 0, unparsed: 0, duplicates: 0, restarts: 0, commits: 0 };

  constructor(
    private readonly store: Store,
    roots: readonly string[],
    opts: Partial<FollowOptions> = {},
    private readonly hooks: FollowHooks = {},
    private readonly now: () => number = Date.now,
    gate: LeaseGate | null = null,
  ) {
    this.opts = { ...DEFAULT_FOLLOW, ...opts };
    this.leases = gate ? new FollowLeases(gate) : null;
    this.scanner = new TargetScanner(roots);
    this.buf = Buffer.allocUnsafe(this.opts.readChunk);
  }

  /** Directories seen by the last scan (for change notifications). */
  get watchedDirs(): ReadonlySet<string> {
    return this.lastScan?.dirs ?? new Set();
  }

  /** Files currently known, for status output. */
  get files(): number {
    return this.entries.size;
  }

  async cycle(): Promise<void> {
    await this.poll();
    await this.commit();
  }

  /** Scans, observes, decides and reads; ingesters commit on their own only when a batch fills. */
  async poll(again = true): Promise<void> {
    const scan = this.scanner.scan();
    this.lastScan = scan;
    for (const [p, reason] of scan.problems) this.problem(p, reason);
    const now = this.now();
    for (const [id, hit] of scan.files) {
      if (!this.entries.has(id)) this.entries.set(id, newEntry(hit, now));
    }
    await this.leases?.settle(this.entries, scan, (e) => this.flush(e, false), (e) => this.drop(e));
    // Files that are no longer at a live name first: drain the old file, then the new one.
    const order = [...this.entries.values()].sort((a, b) => rank(a, scan) - rank(b, scan));
    for (const e of order) {
      try {
        await this.step(e, scan.files.get(e.s.id) ?? null);
      } catch (err) {
        if (err instanceof LeaseLost) {
          this.lostLease(e, err);
          continue;
        }
        if (err instanceof StoreError) throw err;
        this.problem(e.hit?.path ?? e.s.id, (err as Error).message);
        this.drop(e);
      }
    }
    // Streams seen for the first time and leased just now are read at once, not a poll later.
    if ((await this.leases?.report(this.entries)) && again) await this.poll(false);
  }

  /** Commits what every stream has read: events and checkpoints in one transaction per stream. */
  async commit(): Promise<void> {
    for (const e of [...this.entries.values()]) {
      try {
        await this.flush(e, false);
      } catch (err) {
        if (!(err instanceof LeaseLost)) throw err;
        this.lostLease(e, err);
      }
    }
  }

  /** Commits and closes everything. */
  async close(): Promise<void> {
    try {
      await this.commit();
    } finally {
      this.abandon();
    }
  }

  /** Closes every descriptor without committing: what a crash leaves behind. */
  abandon(): void {
    for (const e of this.entries.values()) if (e.fd !== null) closeQuietly(e.fd);
    this.entries.clear();
    this.leases?.clear();
  }

  private async step(e: Entry, hit: Hit | null): Promise<void> {
    if (hit) {
      e.hit = hit;
      if (e.info && e.info.path !== hit.path) e.info.path = hit.path;
    }
    const obs = observeEntry(e, hit, (x, h) => this.open(x, h));
    if (!obs) return;
    if (obs.fingerprint) this.leases?.saw(e.s.id, obs.fingerprint);
    const now = this.now();
    const d = decide(e.s, obs, now, { idleMs: this.opts.idleMs });
    e.s = observed(e.s, obs, now);
    switch (d.do) {
      case 'wait':
        return;
      case 'identify':
        if (!this.mayRead(obs.fingerprint)) {
          // Another console reads it; once the file is gone for good, it is forgotten here.
          if (!obs.path) this.drop(e);
          return;
        }
        await this.identify(e, obs, undefined);
        if (e.s.key && obs.size > e.s.readPos) await this.read(e);
        return;
      case 'read':
        return this.read(e);
      case 'restart': {
        this.totals.restarts++;
        this.hooks.onRestart?.(obs.path ?? e.hit?.path ?? null, d.reason);
        const old = { fingerprint: e.s.fingerprint, gen: e.s.gen };
        await this.flush(e, false);
        e.ing = null;
        this.leases?.untrack(e.s.id);
        e.s = restarted(e.s, now);
        if (obs.fingerprint && this.mayRead(obs.fingerprint)) {
          await this.identify(e, obs, obs.fingerprint === old.fingerprint ? old.gen : undefined);
          if (e.s.key && obs.size > e.s.readPos) await this.read(e);
        }
        return;
      }
      case 'release':
      case 'forget':
        await this.flush(e, d.finish);
        if (e.fd !== null) closeQuietly(e.fd);
        e.fd = null;
        e.ing = null;
        this.leases?.untrack(e.s.id);
        if (d.do === 'forget') this.entries.delete(e.s.id);
        else e.s = released(e.s, d.finish);
        return;
    }
  }

  private open(e: Entry, hit: Hit): boolean {
    const o = openIfSame(hit.path, e.s.dev, e.s.ino);
    if (o.fd === null) {
      if (o.error) this.problem(hit.path, o.error);
      return false;
    }
    this.problems.delete(hit.path);
    e.fd = o.fd;
    return true;
  }

  /** Finds the file's stream (resuming at its checkpoint) or starts a new one. */
  private async identify(e: Entry, obs: Observation, exclude: number | undefined): Promise<void> {
    const fp = obs.fingerprint;
    if (!fp || !e.hit) return;
    if (e.fd === null && !this.open(e, e.hit)) return;
    const store = this.leases ? this.leases.open(e.s.id, fp, this.store) : this.store;
    if (!store) return;
    await attachStream(e, { fingerprint: fp, size: obs.size, path: obs.path }, this.store, store, this.opts, exclude, this.now);
  }

  private async read(e: Entry): Promise<void> {
    await readNew(e, this.buf, this.opts.cycleBytes, this.now, this.totals);
  }

  private async flush(e: Entry, final: boolean): Promise<void> {
    const ing = e.ing;
    if (!ing) return;
    if (!final && ing.report.lines === e.committedLines) return;
    ing.setFileState({ dev: e.s.dev, ino: e.s.ino, size: Math.max(e.s.size, e.s.readPos) });
    await ing.flush(final);
    e.committedLines = ing.report.lines;
    this.totals.commits++;
    tally(this.totals, e);
  }

  private drop(e: Entry): void {
    if (e.fd !== null) closeQuietly(e.fd);
    this.entries.delete(e.s.id);
    this.leases?.untrack(e.s.id);
  }

  /** Without leases every stream may be read; with them, one whose lease this console holds. */
  private mayRead(fingerprint: string | null | undefined): boolean {
    return !this.leases || this.leases.mayRead(fingerprint);
  }

  /** A write refused: another console holds the stream now. */
  private lostLease(e: Entry, err: LeaseLost): void {
    this.leases?.lost(err);
    this.drop(e);
  }

  private problem(p: string, reason: string): void {
    if (this.problems.get(p) === reason) return;
    this.problems.set(p, reason);
    this.hooks.onProblem?.(p, reason);
  }
}

function rank(e: Entry, scan: Scan): number {
  const hit = scan.files.get(e.s.id);
  return hit?.live ? 1 : 0;
}
