/**
 * Health history reconstructed from the logs, for a span the console was not
 * running (logs ingested after the fact, the demo): every check that can be
 * read from the logs alone, run as of each step's time, stored like the
 * background loop stores its readings. Active probes and the cp database
 * say nothing about the past, so they are left out; the ingest check too
 * (its subject is the console itself).
 */
import type { Catalog } from '../catalog/catalog.js';
import type { InventorySource } from '../model/inventory.js';
import type { CheckRecord } from '../model/health.js';
import type { CheckDeps } from './check.js';
import { ALL_CHECKS } from './checks/all-checks.js';
import { diagConfig, type DiagConfig } from './diag-config.js';
import { recordsOf } from './health-loop.js';
import { DiagRunner } from './runner.js';

const FROM_LOGS = new Set(['cp_db', 'reconciler', 'functions', 'llm_upstream', 'email_upstream', 'dns_upstream']);

export interface ReplayOptions {
  store: CheckDeps['store'];
  inventory: InventorySource;
  catalog: Catalog;
  from: number;
  to: number;
  /** Default: the background loop's interval. */
  stepMs?: number;
  config?: DiagConfig;
}

/** Returns the number of records stored. */
export async function replayHistory(o: ReplayOptions): Promise<number> {
  const base = o.config ?? diagConfig();
  const config: DiagConfig = { ...base, cacheMs: 0, timeoutMs: 60_000, deadlineMs: 60_000, probes: { llm: null, email: null, dns: null } };
  const step = o.stepMs ?? (base.intervalMs || 30_000);
  let t = o.from;
  const clock = { now: () => t };
  const runner = new DiagRunner(
    ALL_CHECKS.filter((c) => FROM_LOGS.has(c.name)),
    { store: o.store, inventory: o.inventory, catalog: o.catalog, cp: null, clock, config },
  );
  let stored = 0;
  let batch: CheckRecord[] = [];
  for (; t <= o.to; t += step) {
    // Without a cp database, the probe parts only say "not configured": keep the log findings.
    batch.push(...recordsOf(await runner.run()));
    if (batch.length >= 500) {
      await o.store.recordChecks(batch);
      stored += batch.length;
      batch = [];
    }
  }
  if (batch.length) await o.store.recordChecks(batch);
  return stored + batch.length;
}
