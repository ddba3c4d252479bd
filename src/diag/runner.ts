/**
 * Runs the checks: each with its own timeout (a hung dependency becomes
 * `fail` "timed out after N ms", never a hung response), results reused for
 * a few seconds, and single-flight — callers arriving while a check runs
 * share that run, so 100 concurrent requests probe each dependency once.
 * The whole answer has a deadline on top.
 */
import type { Clock } from '../clock.js';
import { worst, type CheckDefinition, type CheckDeps, type CheckOutcome, type Measurement } from './check.js';

interface Slot {
  done: CheckOutcome | null;
  running: Promise<CheckOutcome> | null;
}

export interface RunOptions {
  /** Ignore cached results (still joins a run in progress): the background loop's reading. */
  fresh?: boolean;
}

export class DiagRunner {
  private readonly slots = new Map<string, Slot>();
  private readonly byName: Map<string, CheckDefinition>;
  /** Checks started so far (for /diag's own stats and the tests). */
  runs = 0;

  constructor(
    readonly checks: readonly CheckDefinition[],
    readonly deps: CheckDeps,
    private readonly clock: Clock = deps.clock,
  ) {
    this.byName = new Map(checks.map((c) => [c.name, c]));
  }

  names(): string[] {
    return this.checks.map((c) => c.name);
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  /** Every check (or the named ones), in definition order, within the deadline. */
  async run(names: readonly string[] = this.names(), opts: RunOptions = {}): Promise<CheckOutcome[]> {
    const defs = names.map((n) => this.byName.get(n)).filter((d): d is CheckDefinition => d !== undefined);
    const deadlineMs = this.deps.config.deadlineMs;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), deadlineMs);
      timer.unref();
    });
    const shared = new Map<string, Promise<unknown>>();
    try {
      return await Promise.all(
        defs.map(async (d) => (await Promise.race([this.one(d, opts, shared), deadline])) ?? this.failed(d, this.clock.now(), deadlineMs, `no result within the response deadline of ${deadlineMs} ms`)),
      );
    } finally {
      clearTimeout(timer);
    }
  }

  /** The last completed result of each check, without running anything. */
  cached(): CheckOutcome[] {
    return this.checks.map((c) => this.slots.get(c.name)?.done).filter((o): o is CheckOutcome => !!o);
  }

  private one(def: CheckDefinition, opts: RunOptions, shared: Map<string, Promise<unknown>>): Promise<CheckOutcome> {
    let slot = this.slots.get(def.name);
    if (!slot) this.slots.set(def.name, (slot = { done: null, running: null }));
    if (slot.running) return slot.running;
    if (!opts.fresh && slot.done && this.clock.now() - slot.done.time < this.deps.config.cacheMs) return Promise.resolve(slot.done);
    const s = slot;
    const running = this.execute(def, shared).then((o) => {
      s.done = o;
      s.running = null;
      return o;
    });
    s.running = running;
    return running;
  }

  private async execute(def: CheckDefinition, shared: Map<string, Promise<unknown>>): Promise<CheckOutcome> {
    this.runs++;
    const timeoutMs = this.deps.config.timeoutMs;
    const ac = new AbortController();
    const t0 = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    const work = def.run({ ...this.deps, shared }, ac.signal);
    // A check that loses the race may still reject later: that must not be an unhandled rejection.
    work.catch(() => undefined);
    try {
      const r = await Promise.race([work, timeout]);
      const ms = performance.now() - t0;
      if (r === 'timeout') return this.failed(def, this.clock.now(), ms, `timed out after ${timeoutMs} ms`);
      const ok: Measurement[] = r.measurements;
      return {
        check: def.name,
        componentType: def.componentType,
        status: worst(ok.filter((m) => !m.detail).map((m) => m.status)),
        time: this.clock.now(),
        durationMs: Math.round(ms),
        measurements: ok,
      };
    } catch (e) {
      return this.failed(def, this.clock.now(), performance.now() - t0, `check failed: ${errorText(e)}`);
    } finally {
      clearTimeout(timer);
      ac.abort();
    }
  }

  private failed(def: CheckDefinition, time: number, ms: number, output: string): CheckOutcome {
    return {
      check: def.name,
      componentType: def.componentType,
      status: 'fail',
      time,
      durationMs: Math.round(ms),
      measurements: [{ measurement: def.primary, componentType: def.componentType, status: 'fail', output }],
    };
  }
}

/** A thrown thing as one short line (no stack, capped). */
export function errorText(e: unknown): string {
  const m = e instanceof Error ? e.message || e.name : String(e);
  const line = m.replace(/\s+/g, ' ').trim();
  return line.length > 300 ? line.slice(0, 300) + '…' : line;
}
