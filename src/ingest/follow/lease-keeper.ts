/**
 * The leases of one following console (model/lease.ts): a round every
 * `renewMs` renews what it holds, reads the lease table, and takes or gives
 * up streams to keep its fair share (lease-share.ts); a round is also run as
 * soon as the follower sees a stream it has not seen before. The follower
 * asks it before it reads a stream (fence), writes every batch fenced by the
 * lease it read under, and lets go of a stream the keeper gives up or lost.
 *
 * A lease counts as held here only until its last successful renewal plus
 * the lease time (the console's own clock, started before the renewal was
 * sent): a console that cannot reach the store stops reading by itself,
 * and the store refuses its writes anyway once another took the lease over.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { LeaseFence, LeaseTable } from '../../model/lease.js';
import type { StreamLeases } from '../../store/store.js';
import { deadLocalHolders } from './dead-holders.js';
import { planShare } from './lease-share.js';

export interface LeaseSettings {
  /** This console, as the lease table names it. */
  holder: string;
  /** How long a lease lasts without renewal (ms). */
  ttlMs: number;
  /** How often leases are renewed and the share reconsidered (ms). */
  renewMs: number;
}

export const DEFAULT_LEASE_TTL_MS = 15_000;
export const DEFAULT_LEASE_RENEW_MS = 5_000;

/** This process as a lease holder: host, pid and a random tag (a restarted console is another holder). */
export function leaseHolderId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

/** What the follower asks of its leases. */
export interface LeaseGate {
  /** The lease to read `key` under, or null: another console has it, or this one is giving it up. */
  fence(key: string): LeaseFence | null;
  /** Whether writes under `f` may still go on (held at that epoch, giving up or not). */
  holds(f: LeaseFence): boolean;
  /** This console is giving `key` up: the follower commits what it read and lets go. */
  shedding(key: string): boolean;
  /** The follower no longer reads `key` (after shedding): released at once. */
  letGo(key: string): void;
  /** A write under `f` was refused: another console has the stream now. */
  lost(f: LeaseFence): void;
  /**
   * The stream keys the follower sees now, and those it is reading (an open
   * stream, with a fence). Resolves true when it saw streams it had not seen
   * before and took some of them at once: the follower reads them now.
   */
  see(keys: ReadonlySet<string>, busy: ReadonlySet<string>): Promise<boolean>;
}

export interface LeaseKeeperHooks {
  onError?: (e: unknown) => void;
  /** After each round: the table as read, and what this console holds. */
  onRound?: (table: LeaseTable, held: readonly LeaseFence[]) => void;
  now?: () => number;
}

export class LeaseKeeper implements LeaseGate {
  private held = new Map<string, LeaseFence>();
  private readonly giving = new Set<string>();
  private readonly released = new Set<string>();
  private wanted: ReadonlySet<string> = new Set();
  private validUntil = 0;
  private running: Promise<void> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private readonly now: () => number;

  constructor(
    private readonly store: StreamLeases,
    readonly settings: LeaseSettings,
    private readonly hooks: LeaseKeeperHooks = {},
  ) {
    this.now = hooks.now ?? Date.now;
  }

  /** The first round, then one every renewMs. */
  async start(): Promise<void> {
    await this.round();
    this.schedule();
  }

  fence(key: string): LeaseFence | null {
    if (this.giving.has(key) || this.now() >= this.validUntil) return null;
    return this.held.get(key) ?? null;
  }

  holds(f: LeaseFence): boolean {
    const h = this.held.get(f.key);
    return h !== undefined && h.epoch === f.epoch && this.now() < this.validUntil;
  }

  shedding(key: string): boolean {
    return this.giving.has(key);
  }

  letGo(key: string): void {
    if (!this.giving.has(key)) return;
    this.released.add(key);
    this.kick();
  }

  lost(f: LeaseFence): void {
    if (this.held.get(f.key)?.epoch === f.epoch) this.held.delete(f.key);
  }

  async see(keys: ReadonlySet<string>, busy: ReadonlySet<string>): Promise<boolean> {
    const fresh = [...keys].filter((k) => !this.wanted.has(k));
    this.wanted = new Set(keys);
    let idle = false;
    for (const k of this.giving) {
      if (!busy.has(k) && !this.released.has(k)) {
        this.released.add(k);
        idle = true;
      }
    }
    if (!fresh.length) {
      if (idle) this.kick();
      return false;
    }
    if (this.stopped) return false;
    await this.round();
    // A round already running when these were seen planned without them: one more, which does.
    if (this.running) await this.running;
    return fresh.some((k) => this.fence(k) !== null);
  }

  /** Leases held now (for status). */
  get holding(): LeaseFence[] {
    return [...this.held.values()];
  }

  /** Renews, reads the table, takes or gives up to keep the share; never overlaps itself. */
  round(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.roundOnce()
      .catch((e: unknown) => this.hooks.onError?.(e))
      .finally(() => {
        this.running = null;
        if (this.again && !this.stopped) {
          this.again = false;
          void this.round();
        }
      });
    return this.running;
  }

  /** Stops renewing and gives every lease up (after the follower committed and closed). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
    this.held.clear();
    this.validUntil = 0;
    await this.store.releaseLeases(this.settings.holder);
  }

  private async roundOnce(): Promise<void> {
    if (this.stopped) return;
    const { holder, ttlMs } = this.settings;
    const started = this.now();
    const release = [...this.released];
    if (release.length) {
      await this.store.releaseLeases(holder, release);
      for (const k of release) {
        this.released.delete(k);
        this.giving.delete(k);
        this.held.delete(k);
      }
    }
    const renewed = await this.store.acquireLeases(holder, [...this.held.keys()], ttlMs);
    this.held = new Map(renewed.map((f) => [f.key, f]));
    this.validUntil = started + ttlMs;
    for (const k of [...this.giving]) if (!this.held.has(k)) this.giving.delete(k);
    let table = await this.store.leaseTable();
    const dead = deadLocalHolders(table, holder);
    if (dead.length) {
      for (const h of dead) await this.store.releaseLeases(h);
      table = await this.store.leaseTable();
    }
    const plan = planShare({ me: holder, wanted: this.wanted, held: new Set(this.held.keys()), table });
    if (plan.take.length) {
      for (const f of await this.store.acquireLeases(holder, plan.take, ttlMs)) this.held.set(f.key, f);
    }
    for (const k of plan.shed) this.giving.add(k);
    // Giving up less than planned once the share allows keeping it (another console left).
    for (const k of [...this.giving]) if (!plan.shed.includes(k) && !this.released.has(k)) this.giving.delete(k);
    this.hooks.onRound?.(table, [...this.held.values()]);
  }

  private kick(): void {
    if (!this.stopped) void this.round();
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.round().finally(() => this.schedule());
    }, this.settings.renewMs);
    this.timer.unref();
  }
}
