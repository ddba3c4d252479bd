/**
 * What the /diag routes and the background loop share: the runner (with its
 * cache and single-flight) over the checks, the cp database connection when
 * configured, and the configuration.
 */
import type { Catalog } from '../catalog/catalog.js';
import type { Clock } from '../clock.js';
import type { CpDatabase } from '../cpdb/cp-database.js';
import type { IngestStatus } from '../model/ingest-status.js';
import type { InventorySource } from '../model/inventory.js';
import type { CheckDefinition, CheckDeps } from './check.js';
import { ALL_CHECKS } from './checks/all-checks.js';
import { DEFAULT_DIAG_CONFIG, type DiagConfig } from './diag-config.js';
import { DiagRunner } from './runner.js';

export interface DiagServices {
  runner: DiagRunner;
  deps: CheckDeps;
}

export interface DiagServicesInput {
  store: CheckDeps['store'];
  inventory: InventorySource;
  catalog: Catalog;
  clock: Clock;
  config?: DiagConfig;
  cp?: CpDatabase | null;
  checks?: readonly CheckDefinition[];
  /** The state of this server's follow thread, when it has one. */
  ingest?: () => IngestStatus | null;
}

export function createDiagServices(i: DiagServicesInput): DiagServices {
  const deps: CheckDeps = { store: i.store, inventory: i.inventory, catalog: i.catalog, clock: i.clock, cp: i.cp ?? null, config: i.config ?? DEFAULT_DIAG_CONFIG, ...(i.ingest ? { ingest: i.ingest } : {}) };
  return { runner: new DiagRunner(i.checks ?? ALL_CHECKS, deps), deps };
}
