/**
 * What a subsystem check is: a function of its dependencies and an abort
 * signal that resolves to measurements. The runner (runner.ts) adds the
 * timeout, caching and single-flight; health-json.ts renders the outcome.
 */
import type { Catalog } from '../catalog/catalog.js';
import type { Clock } from '../clock.js';
import type { CpDatabase } from '../cpdb/cp-database.js';
import type { CheckStatus } from '../model/health.js';
import type { IngestStatus } from '../model/ingest-status.js';
import type { InventorySource } from '../model/inventory.js';
import type { ActivityReads, HealthStore, LineReads, RequestReads, StreamLeases } from '../store/store.js';
import type { DiagConfig } from './diag-config.js';

export type ComponentType = 'datastore' | 'component' | 'system';

/**
 * Link relations a reading uses, all registered with IANA: `about` the page
 * about the component (a wok), `related` a page showing the finding (a
 * sample request, the unparsed lines).
 */
export type LinkRel = 'about' | 'related';

export interface MeasurementLink {
  rel: LinkRel;
  /** A path on this console. */
  href: string;
  /** What it opens, for the page: "sample request", "wok inbox". */
  title: string;
}

/**
 * One reading of a check: becomes one entry of `checks["<check>:<measurement>"]`.
 * An array holds either one summary reading or per-component readings, never
 * both: a summary and its per-component readings have different measurements.
 */
export interface Measurement {
  measurement: string;
  componentId?: string;
  /** The componentId names no infrastructure (a log source: "cp", "audit"): shown to everyone, not only operators. */
  publicId?: boolean;
  componentType: ComponentType;
  /** Absent (or null) when nothing could be read (not configured, timed out); health+json leaves it out then. Times are RFC 3339 strings. */
  observedValue?: number | string | boolean | null;
  /** A unit ("ms", "s", "requests", "%", "bytes"); absent for a condition or a time. */
  observedUnit?: string;
  /** What makes the value meaningful on the page, beside it: "in the last 15 min", "of 4". */
  context?: string;
  status: CheckStatus;
  /** Why it is not pass (the draft's `output`); omitted on pass. */
  output?: string;
  /** Per-component readings (one wok, one container, one stream): shown with ?verbose only. */
  detail?: boolean;
  /** Related pages, e.g. a sample request: shown with ?verbose only. */
  links?: MeasurementLink[];
  /** The cp's routes (URI templates) whose requests showed the finding. */
  affectedEndpoints?: string[];
}

export interface CheckResult {
  measurements: Measurement[];
}

export interface CheckDeps {
  /** What the checks and the wok report read: requests, activity, health history, the streams' progress. */
  store: LineReads & RequestReads & ActivityReads & HealthStore & Pick<StreamLeases, 'leaseTable'>;
  inventory: InventorySource;
  /** The cp's database, when DIAG_CP_DATABASE_URL is configured. */
  cp: CpDatabase | null;
  catalog: Catalog;
  clock: Clock;
  config: DiagConfig;
  /** What this server's own follow thread is doing (the `ingest` check); absent or null when it follows nothing. */
  ingest?: () => IngestStatus | null;
  /**
   * Readings shared by the checks of one round (set by the runner): several
   * checks read the same window of request counts, which is then read once.
   */
  shared?: Map<string, Promise<unknown>>;
}

/** `compute` once per round under `key` (every time when there is no round). */
export function sharedReading<T>(deps: CheckDeps, key: string, compute: () => Promise<T>): Promise<T> {
  if (!deps.shared) return compute();
  let p = deps.shared.get(key) as Promise<T> | undefined;
  if (!p) deps.shared.set(key, (p = compute()));
  return p;
}

export type CheckFn = (deps: CheckDeps, signal: AbortSignal) => Promise<CheckResult>;

export interface CheckDefinition {
  name: string;
  componentType: ComponentType;
  /** The measurement a timeout or a crash of the check is reported under. */
  primary: string;
  /** One line for the page and the README. */
  description: string;
  run: CheckFn;
}

/** A check's result as the runner hands it out. */
export interface CheckOutcome {
  check: string;
  componentType: ComponentType;
  status: CheckStatus;
  /** When the reading completed (epoch ms). */
  time: number;
  durationMs: number;
  measurements: Measurement[];
}

export function worst(statuses: Iterable<CheckStatus>): CheckStatus {
  let w: CheckStatus = 'pass';
  for (const s of statuses) {
    if (s === 'fail') return 'fail';
    if (s === 'warn') w = 'warn';
  }
  return w;
}

export const NOT_CONFIGURED = 'not configured: ';

/** The "not configured" reading of something optional that a check needs. */
export function notConfigured(measurement: string, componentType: ComponentType, what: string): Measurement {
  return { measurement, componentType, status: 'warn', output: `${NOT_CONFIGURED}${what}` };
}

/** Whether a reading only says something is not configured. */
export function isNotConfigured(m: { status: CheckStatus; output?: string | null }): boolean {
  return m.status !== 'pass' && (m.output?.startsWith(NOT_CONFIGURED) ?? false);
}
