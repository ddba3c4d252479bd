import type { Catalog } from '../catalog/catalog.js';
import type { Clock } from '../clock.js';
import type { DiagServices } from '../diag/diag-services.js';
import type { Logger } from '../logging/logger.js';
import type { ThrottleOptions } from './middleware/login-throttle.js';
import type { InventorySource } from '../model/inventory.js';
import type { TicketOptions } from '../queries/ticket.js';
import type { Redactor } from '../redact/redactor.js';
import type { Store } from '../store/store.js';
import type { PushIngest } from '../ingest/push/push-ingest.js';
import type { DrainBound } from './lingering-close.js';

export interface AppConfig {
  ticket: TicketOptions;
  /** Trust X-Forwarded-* from a proxy in front (Express "trust proxy"). */
  trustProxy: boolean | string;
  /** Largest accepted body for form and JSON routes (every route but POST /v1/ingest). */
  bodyLimit: string;
  /** After answering before a body is read whole: how much more to read and drop before closing (default DEFAULT_DRAIN_BOUND in lingering-close.ts). */
  bodyDrain?: DrainBound;
  /** Sign-in sessions and throttling; defaults in src/access/sessions.ts and src/http/middleware/login-throttle.ts. */
  access?: AccessConfig;
  /** Include the process's default metrics (CPU, memory, event loop) at /metrics (default true). */
  processMetrics?: boolean;
  /** POST /v1/ingest: largest body, as sent and after decompression (bytes; default 8 MiB; DIAG_INGEST_MAX_BYTES). Not bodyLimit. */
  ingestMaxBytes?: number;
  /** A customer's ticket lookup answers no sooner than this, found or not (ms; default CUSTOMER_TICKET_FLOOR_MS in routes/tickets.ts). */
  customerTicketFloorMs?: number;
}

export interface AccessConfig {
  sessionTtlMs?: number;
  /** Any options left out take DEFAULT_THROTTLE's. */
  throttle?: Partial<ThrottleOptions>;
}

/** Everything the HTTP app needs, passed in: no globals, so tests build it with a real store in a temp dir. */
export interface AppDeps {
  store: Store;
  /** Redacts at render and in our own request logs, by the same configured patterns as the store's ingest. */
  redactor: Redactor;
  /** Orgs, woks and keys: the imported snapshot, or the cp database when configured. */
  inventory: InventorySource;
  catalog: Catalog;
  logger: Logger;
  clock: Clock;
  config: AppConfig;
  /** /diag's checks (runner, cp database, thresholds); defaults without a cp database or probes when absent. */
  diag?: DiagServices;
  /** Parses and commits pushed batches (POST /v1/ingest); the server runs it on a thread of its own. Inline on `store` when absent. */
  push?: PushIngest;
}
