/**
 * The one storage interface, made of parts (stream writes, line reads,
 * requests, activity, inventory, the lookup audit, access, health, transfer,
 * leases, the ingesters' notes): each
 * backend assembles its Store from objects that implement them
 * (compose-store.ts), and a caller takes the part it uses. Async even over
 * better-sqlite3, so the PostgreSQL implementation slots in unchanged; one
 * contract suite (test/store/contract.ts) runs against every implementation.
 * HTTP and CLI never see SQL.
 */
import { CodedError } from '../errors/coded-error.js';
import type { DiagCode } from '../errors/diag-codes.js';
import type { ApiToken, Limiter, LimiterSpec, Operator, Session, TokenScope } from '../model/access.js';
import type { Around } from '../model/around.js';
import type { LookupEntry, LookupFilter, LookupRecord } from '../model/lookup.js';
import type { AuditRecord, LifecycleRecord } from '../model/activity.js';
import type { Event, Unparsed } from '../model/event.js';
import type { Redactor } from '../redact/redactor.js';
import type { CheckRecord } from '../model/health.js';
import type { LeaseFence } from '../model/lease.js';
import type { IngestNote } from '../model/ingest-note.js';
import type { Inventory, InventoryKey, InventoryWok } from '../model/inventory.js';
import type { RequestSummary } from '../model/request.js';
import type { PreparedBatch } from './prepared-batch.js';
import type { RequestFilter, RequestPage } from './search-filter.js';
import type { Checkpoint, StreamState } from '../model/stream.js';
import type {
  AffectedOrg,
  CodeCount,
  ContainerInfo,
  ContextFilter,
  IncidentCount,
  OrgCodeCount,
  Page,
  PruneResult,
  RequestCounts,
  SearchFilter,
  Stats,
  WindowFilter,
  WriteBatch,
  WriteResult,
} from './store-types.js';

export type * from './store-types.js';
export type * from './store-transfer.js';
import type { StoreTransfer, StreamLeases } from './store-transfer.js';

/** How much a bulk ingest hands a store at once: lines per piece a parser thread makes, and per transaction. */
export interface BulkLimits {
  pieceLines: number;
  commitLines: number;
}

/** What ingest writes, where a stream's reading resumes, and retention. */
export interface StreamWrites {
  /** Removes secrets from every event written (encodeForStore): the configured one, passed in when the store is opened. */
  readonly redactor: Redactor;
  /** Atomic: the events, unparsed lines and checkpoints are all stored, or none. */
  writeBatch(batch: WriteBatch): Promise<WriteResult>;
  /**
   * writeBatch for a batch already turned into blocks (prepared-batch.ts), as
   * bulk ingest makes them in its parser threads: the same rules, the same
   * answer, atomic the same way; a batch sent again stores nothing twice.
   */
  writePrepared(prepared: PreparedBatch): Promise<WriteResult>;
  /** Runs a bulk ingest's writes, with whatever the store sets around them for the run (and restores after). */
  bulkSession<T>(fn: () => Promise<T>): Promise<T>;
  /** The most a bulk ingest may hand this store at once, or null when it sets no bound of its own. */
  bulkLimits(): BulkLimits | null;
  checkpoint(streamKey: string): Promise<Checkpoint | null>;
  /** Deletes what is older than `before` (epoch ms), in bounded batches or whole days; says what it removed. */
  prune(before: number): Promise<PruneResult>;
  /**
   * The cutoff a retention period ending at `before` uses: the time itself
   * (SQLite), or the UTC midnight at or before it where history is kept in
   * day partitions (PostgreSQL), so retention drops whole days and deletes no
   * row one by one (a day is kept until all of it is past the period).
   */
  retentionCut(before: number): number;
}

/** The stored lines: by correlation id, by container, around one line, those that did not parse, and the streams they came from. */
export interface LineReads {
  /** Every event carrying the correlation id, in time order. */
  eventsByCid(cid: string): Promise<Event[]>;
  /** eventsByCid for several ids at once (each in time order), reading each block or row once: the search's event filters. */
  eventsByCids(cids: readonly string[]): Promise<Map<string, Event[]>>;
  /** Lines of a wok's containers in a time window, in time order. */
  containerEvents(filter: ContextFilter): Promise<Event[]>;
  /** The newest lines of one container, in time order. */
  containerTail(containerId: string, limit: number): Promise<Event[]>;
  /** The event and up to n lines either side of it in its own stream, or null when there is no such event. */
  aroundEvent(id: string, n: number): Promise<Around | null>;
  unparsed(cursor?: string | null, limit?: number): Promise<Page<Unparsed>>;
  /** Everything below, including a count of distinct correlation ids over the whole index (slow on a big store). */
  stats(): Promise<Stats>;
  /**
   * Every stream's checkpoint and counters, listed by path (then key) as in
   * stats(): a read of the streams table alone, cheap enough for every /diag run.
   */
  streams(): Promise<StreamState[]>;
}

/** Request summaries and the counts kept of them. */
export interface RequestReads {
  search(filter: SearchFilter, cursor?: string | null): Promise<Page<RequestSummary>>;
  /** search() with the filters of search-filter.ts (fix side, source, method, path, free text) and a count of matches. */
  findRequests(filter: RequestFilter, cursor?: string | null): Promise<RequestPage>;
  codeCounts(filter: { from: number; to: number; wok?: string; org?: string }): Promise<CodeCount[]>;
  /** Request totals, failures and per-code counts in a window (optionally for one wok or org). */
  requestCounts(filter: WindowFilter): Promise<RequestCounts>;
  /** Requests in a window (optionally of one wok or org, or with one error code), exact, from per-minute counts. */
  requestTotal(filter: WindowFilter & { code?: string }): Promise<number>;
  /** Per error code in [from, to] (to > from), most frequent first, from the request summaries. */
  incidentCounts(filter: { from: number; to: number; buckets: number }): Promise<IncidentCount[]>;
  /** Per org, the requests with one of `codes` in [from, to], most first (requests naming no org are left out). */
  affectedOrgs(filter: { from: number; to: number; codes: string[]; limit?: number }): Promise<AffectedOrg[]>;
  /** Requests answered with `code` in [from, to], per org, most first (then org). */
  codeByOrg(filter: { code: string; from: number; to: number }): Promise<OrgCodeCount[]>;
}

/** What happened to woks and containers: audit entries, wok changes, lifecycle. */
export interface ActivityReads {
  /** Audit actions, newest first. */
  audits(filter: WindowFilter): Promise<AuditRecord[]>;
  /** Audit actions that change a wok (WOK_CHANGES: restart, env delete, destroy…), newest first: an index apart from the rest. */
  wokChanges(filter: WindowFilter): Promise<AuditRecord[]>;
  /** Container lifecycle changes (start, ready, shutdown, crash…), newest first. */
  lifecycle(filter: WindowFilter): Promise<LifecycleRecord[]>;
  /** Containers seen in the logs for a wok. */
  containers(wok: string): Promise<ContainerInfo[]>;
}

/** The cp's orgs, woks and API keys, as last imported. */
export interface InventoryStore {
  putInventory(inv: Inventory): Promise<{ orgs: number; woks: number; keys: number }>;
  keysByPrefix(prefix: string): Promise<InventoryKey[]>;
  wok(id: string): Promise<InventoryWok | null>;
  inventory(): Promise<Inventory>;
}

/** The audit of lookups: who looked up what. Pruned with the events. */
export interface LookupAudit {
  recordLookup(entry: LookupEntry): Promise<void>;
  /** Newest first. */
  lookups(filter: LookupFilter, cursor?: string | null): Promise<Page<LookupRecord>>;
}

/** Events, requests and the inventory: what ingest writes and tickets read. */
export interface EventStore extends StreamWrites, LineReads, RequestReads, ActivityReads, InventoryStore, LookupAudit {}

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

/** What long-running ingesters say of themselves (ingest-note.ts): one note per ingester, the newest. */
export interface IngestNotes {
  /** Replaces the ingester's note; notes not seen for a week are dropped. */
  noteIngest(note: IngestNote): Promise<void>;
  /** Every ingester's note, most recently seen first. */
  ingestNotes(): Promise<IngestNote[]>;
}

export interface Store extends EventStore, AccessStore, HealthStore, StoreTransfer, StreamLeases, IngestNotes {
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

/** A write fenced by a lease (WriteBatch.fence) that its holder no longer has: nothing was written. */
export class LeaseLost extends CodedError {
  override name = 'LeaseLost';
  readonly code = 'DIAG_LEASE_LOST' satisfies DiagCode;
  constructor(readonly fence: LeaseFence) {
    super(`the lease on stream ${fence.key} (epoch ${fence.epoch}) is no longer held by ${fence.holder}`);
  }
}

/** The store cannot be read or written; its message names the file or server, so an HTTP caller is told only the reason. */
export class StoreError extends CodedError {
  override name = 'StoreError';
  readonly code = 'DIAG_STORE_UNAVAILABLE' satisfies DiagCode;
  constructor(
    message: string,
    /** 'unavailable': the server cannot be reached or used right now (down, restarting, failing over). */
    readonly reason: 'unavailable' | 'full' | 'readonly' | 'busy' | 'corrupt' | 'other',
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  override get callerMessage(): string {
    return `the store failed: ${this.reason}`;
  }
}
