/**
 * The background reading: every intervalMs, run every check (fresh, sharing
 * any run a request already started) and store one record per check, so
 * history exists even when nobody has /diag open. Old records are pruned
 * (bounded retention). Never overlaps itself; never on a request path.
 */
import type { Logger } from '../logging/logger.js';
import type { CheckRecord } from '../model/health.js';
import type { HealthStore } from '../store/store.js';
import { NOT_CONFIGURED, type CheckOutcome } from './check.js';
import type { DiagRunner } from './runner.js';

const PRUNE_EVERY_MS = 3_600_000;

export interface HealthLoop {
  /** Runs one round now (the loop's own rounds call this too). */
  tick(): Promise<CheckRecord[]>;
  stop(): Promise<void>;
}

/**
 * One stored record per check outcome: status, time, and the reason it is not
 * pass — a finding ("5 requests failed…") before a "not configured".
 */
export function recordsOf(outcomes: readonly CheckOutcome[]): CheckRecord[] {
  return outcomes.map((o) => {
    const why = o.measurements.filter((m) => !m.detail && m.status === o.status && m.output);
    const finding = why.find((m) => !m.output!.startsWith(NOT_CONFIGURED)) ?? why[0];
    return { check: o.check, status: o.status, time: o.time, output: o.status === 'pass' ? null : (finding?.output ?? null) };
  });
}

export function startHealthLoop(o: { runner: DiagRunner; store: HealthStore; logger: Logger; intervalMs: number; retentionMs: number }): HealthLoop {
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<CheckRecord[]> | null = null;
  let stopped = false;
  let lastPrune = 0;

  async function round(): Promise<CheckRecord[]> {
    const outcomes = await o.runner.run(o.runner.names(), { fresh: true });
    const records = recordsOf(outcomes);
    await o.store.recordChecks(records);
    const now = Date.now();
    if (now - lastPrune > PRUNE_EVERY_MS) {
      lastPrune = now;
      const n = await o.store.pruneChecks(now - o.retentionMs);
      if (n) o.logger.info({ pruned: n }, 'health history pruned');
    }
    return records;
  }

  function tick(): Promise<CheckRecord[]> {
    if (running) return running;
    running = round()
      .catch((e: unknown) => {
        o.logger.error({ err: e instanceof Error ? e : new Error(String(e)) }, 'health check round failed');
        return [];
      })
      .finally(() => {
        running = null;
      });
    return running;
  }

  function schedule(): void {
    if (stopped || o.intervalMs <= 0) return;
    timer = setTimeout(() => {
      void tick().finally(schedule);
    }, o.intervalMs);
    timer.unref();
  }

  if (o.intervalMs > 0) {
    void tick().finally(schedule);
  }

  return {
    tick,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      if (running) await running;
    },
  };
}
