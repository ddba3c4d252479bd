/**
 * The one storage interface. Async even over better-sqlite3, so the PostgreSQL
 * implementation slots in unchanged; one contract suite (test/store/contract.ts)
 * runs against every implementation. HTTP and CLI never see SQL.
 */
import { CodedError } from '../errors/coded-error.js';
import type { DiagCode } from '../errors/diag-codes.js';
import type { ApiToken, Limiter, LimiterSpec, Operator, Session, TokenScope } from '../model/access.js';
import type { Around } from '../model/around.js';
import type { LookupEntry, LookupFilter, LookupRecord } from '../model/lookup.js';
import type { AuditRecord, LifecycleRecord } from '../model/activity.js';
import type { ContainerRef, Event, Source, Unparsed } from '../model/event.js';
import type { CheckRecord } from '../model/health.js';
import type { Inventory, InventoryKey, InventoryWok } from '../model/inventory.js';
import type { RequestSummary } from '../model/request.js';
import type { RequestFilter, RequestPage } from './search-filter.js';
import type { Checkpoint, StreamInfo, StreamState } from '../model/stream.js';

/** The events, unparsed lines and checkpoint of one stream, written together. */
export interface StreamBatch {
  stream: StreamInfo;
  /** In offset order. */
  events: Event[];
  unparsed: Unparsed[];
  checkpoint: Checkpoint;
}

export interface WriteBatch {
  streams: StreamBatch[];
  /** A pushed batch's Idempotency-Key: a repeat with the same key (and digest) writes nothing. */
  idempotency?: { key: string; digest: string };
}

export interface WriteResult {
  events: number;
  unparsed: number;
  /** True when the batch was a repeat (same idempotency key, or every line already stored). */
  duplicate: boolean;
}

export interface SearchFilter {
  from?: number;
  to?: number;
  code?: string;
  org?: string;
  wok?: string;
  status?: number;
  /** Only requests that failed (status ≥ 400). */
  failed?: boolean;
  limit?: number;
}

export interface Page<T> {
  items: T[];
  /** Opaque; pass back to get the next (older) page. */
  next: string | null;
}

export interface ContextFilter {
  wok: string;
  from: number;
  to: number;
  limit: number;
  /** Only lines at warn or above, or that mark a container lifecycle change. */
  notable?: boolean;
}

export interface CodeCount {
  code: string;
  count: number;
  lastSeen: number;
  sampleCid: string;
}

/** One error code over a window cut into equal buckets (incidents, the catalogue). */
export interface IncidentCount {
  code: string;
  count: number;
  /** Distinct orgs and woks named by the requests (requests naming none are not counted here). */
  orgs: number;
  woks: number;
  firstSeen: number;
  lastSeen: number;
  /** The newest request of the code in the window; among equal times, the one written last. */
  sampleCid: string;
  /**
   * Requests per bucket, oldest first: bucket i holds the minutes starting in from + i·w ≤ t < from + (i+1)·w,
   * w = (to − from) / buckets (a request counts by the start of its minute; one of a minute begun before `from` in the first).
   */
  buckets: number[];
}

/** Failed requests of one org with some of the given codes in a window. */
export interface AffectedOrg {
  org: string;
  count: number;
  firstSeen: number;
  lastSeen: number;
}

export interface Stats {
  events: Record<Source, number>;
  unparsed: number;
  correlationIds: number;
  requests: number;
  streams: StreamState[];
}

export interface RequestCounts {
  total: number;
  failed: number;
  /** Requests per error code in the range. */
  byCode: Record<string, number>;
}

export interface WindowFilter {
  from: number;
  to: number;
  wok?: string;
  org?: string;
  limit?: number;
}

/** One org's requests failing with a code in a window (the Related panel of a ticket). */
export interface OrgCodeCount {
  org: string | null;
  count: number;
  firstSeen: number;
  lastSeen: number;
  /** The org's newest request with the code in the window. */
  sampleCid: string;
}

export interface ContainerInfo extends ContainerRef {
  firstSeen: number | null;
  lastSeen: number | null;
}

/** Events, requests and the inventory: what ingest writes and tickets read. */
export interface EventStore {
  /** Atomic: the events, unparsed lines and checkpoints are all stored, or none. */
  writeBatch(batch: WriteBatch): Promise<WriteResult>;
  checkpoint(streamKey: string): Promise<Checkpoint | null>;

  /** Every event carrying the correlation id, in time order. */
  eventsByCid(cid: string): Promise<Event[]>;
  /** eventsByCid for several ids at once (each in time order), reading each block or row once: the search's event filters. */
  eventsByCids(cids: readonly string[]): Promise<Map<string, Event[]>>;
  /** Lines of a wok's containers in a time window, in time order. */
  containerEvents(filter: ContextFilter): Promise<Event[]>;
  search(filter: SearchFilter, cursor?: string | null): Promise<Page<RequestSummary>>;
  codeCounts(filter: { from: number; to: number; wok?: string; org?: string }): Promise<CodeCount[]>;
  unparsed(cursor?: string | null, limit?: number): Promise<Page<Unparsed>>;
  /** Everything below, including a count of distinct correlation ids over the whole index (slow on a big store). */
  stats(): Promise<Stats>;
  /**
   * Every stream's checkpoint and counters, listed by path (then key) as in
   * stats(): a read of the streams table alone, cheap enough for every /diag run.
   */
  streams(): Promise<StreamState[]>;

  /** Request totals, failures and per-code counts in a window (optionally for one wok or org). */
  requestCounts(filter: WindowFilter): Promise<RequestCounts>;
  /** Requests in a window (optionally of one wok or org, or with one error code), exact, from per-minute counts. */
  requestTotal(filter: WindowFilter & { code?: string }): Promise<number>;
  /** Audit actions, newest first. */
  audits(filter: WindowFilter): Promise<AuditRecord[]>;
  /** Audit actions that change a wok (WOK_CHANGES: restart, env delete, destroy…), newest first: an index apart from the rest. */
  wokChanges(filter: WindowFilter): Promise<AuditRecord[]>;
  /** Container lifecycle changes (start, ready, shutdown, crash…), newest first. */
  lifecycle(filter: WindowFilter): Promise<LifecycleRecord[]>;
  /** Containers seen in the logs for a wok. */
  containers(wok: string): Promise<ContainerInfo[]>;
  /** The newest lines of one container, in time order. */
  containerTail(containerId: string, limit: number): Promise<Event[]>;

  putInventory(inv: Inventory): Promise<{ orgs: number; woks: number; keys: number }>;
  keysByPrefix(prefix: string): Promise<InventoryKey[]>;
  wok(id: string): Promise<InventoryWok | null>;
  inventory(): Promise<Inventory>;

  /** Deletes what is older than `before` (epoch ms), in bounded batches; returns the number of events removed. */
  prune(before: number): Promise<number>;
  /** Requests answered with `code` in [from, to], per org, most first (then org). */
  codeByOrg(filter: { code: string; from: number; to: number }): Promise<OrgCodeCount[]>;

  /** The event and up to n lines either side of it in its own stream, or null when there is no such event. */
  aroundEvent(id: string, n: number): Promise<Around | null>;
  /** One row in the audit of lookups; pruned with the events. */
  recordLookup(entry: LookupEntry): Promise<void>;
  /** The audit of lookups, newest first. */
  lookups(filter: LookupFilter, cursor?: string | null): Promise<Page<LookupRecord>>;

  /** Per error code in [from, to] (to > from), most frequent first, from the request summaries. */
  incidentCounts(filter: { from: number; to: number; buckets: number }): Promise<IncidentCount[]>;
  /** Per org, the requests with one of `codes` in [from, to], most first (requests naming no org are left out). */
  affectedOrgs(filter: { from: number; to: number; codes: string[]; limit?: number }): Promise<AffectedOrg[]>;

  /** search() with the filters of search-filter.ts (fix side, source, method, path, free text) and a count of matches. */
  findRequests(filter: RequestFilter, cursor?: string | null): Promise<RequestPage>;
}

/** Operators, their sessions, and API tokens. Secrets are stored only as hashes. */
export interface AccessStore {
  addOperator(email: string, passwordHash: string): Promise<Operator>;
  operatorByEmail(email: string): Promise<Operator | null>;
  operatorById(id: number): Promise<Operator | null>;
  listOperators(): Promise<Operator[]>;
  /** Returns false when there is no such operator. */
  setOperatorDisabled(email: string, disabled: boolean): Promise<boolean>;
  setOperatorPassword(email: string, passwordHash: string): Promise<boolean>;

  createSession(s: Session): Promise<void>;
  /** A live session (not expired at `now`, operator not disabled), or null. */
  session(idHash: string, now: number): Promise<{ session: Session; operator: Operator } | null>;
  deleteSession(idHash: string): Promise<void>;
  /** Ends every session of an operator (on disable or password change). */
  deleteSessionsOf(operatorId: number): Promise<void>;

  createToken(t: { name: string; scope: TokenScope; hash: string; createdAt: number }): Promise<ApiToken>;
  /** A token by its hash, revoked or not (the caller decides). */
  tokenByHash(hash: string): Promise<ApiToken | null>;
  listTokens(): Promise<ApiToken[]>;
  /** Returns false when there is no live token of that name. */
  revokeToken(name: string, now: number): Promise<boolean>;
  touchToken(id: number, now: number): Promise<void>;

  /** A limiter whose counts live in this store (sign-in throttling). */
  limiter(spec: LimiterSpec): Limiter;
}

/** /diag results over time, for history on tickets and the wok view. */
export interface HealthStore {
  recordChecks(records: CheckRecord[]): Promise<void>;
  /** Stored results in a window, oldest first. */
  checkHistory(filter: { from: number; to: number; check?: string }): Promise<CheckRecord[]>;
  /** Drops results older than `before`. */
  pruneChecks(before: number): Promise<number>;
}

export interface Store extends EventStore, AccessStore, HealthStore {
  close(): Promise<void>;
}

/** An Idempotency-Key seen before with a different body. */
export class IdempotencyConflict extends CodedError {
  override name = 'IdempotencyConflict';
  readonly code = 'DIAG_IDEMPOTENCY_CONFLICT' satisfies DiagCode;
  constructor(readonly key: string) {
    super(`Idempotency-Key ${key} was used before for a different body`);
  }
}

/** The store cannot be read or written; its message names the file or server, so an HTTP caller is told only the reason. */
export class StoreError extends CodedError {
  override name = 'StoreError';
  readonly code = 'DIAG_STORE_UNAVAILABLE' satisfies DiagCode;
  constructor(
    message: string,
    readonly reason: 'full' | 'readonly' | 'busy' | 'corrupt' | 'other',
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  override get callerMessage(): string {
    return `the store failed: ${this.reason}`;
  }
}
