/**
 * The one storage interface. Async even over better-sqlite3, so the PostgreSQL
 * implementation slots in unchanged; one contract suite (test/store/contract.ts)
 * runs against every implementation. HTTP and CLI never see SQL.
 */
import type { Event, Source, Unparsed } from '../model/event.js';
import type { Inventory, InventoryKey, InventoryWok } from '../model/inventory.js';
import type { RequestSummary } from '../model/request.js';
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

export interface Stats {
  events: Record<Source, number>;
  unparsed: number;
  correlationIds: number;
  requests: number;
  streams: StreamState[];
}

export interface Store {
  /** Atomic: the events, unparsed lines and checkpoints are all stored, or none. */
  writeBatch(batch: WriteBatch): Promise<WriteResult>;
  checkpoint(streamKey: string): Promise<Checkpoint | null>;

  /** Every event carrying the correlation id, in time order. */
  eventsByCid(cid: string): Promise<Event[]>;
  /** Lines of a wok's containers in a time window, in time order. */
  containerEvents(filter: ContextFilter): Promise<Event[]>;
  search(filter: SearchFilter, cursor?: string | null): Promise<Page<RequestSummary>>;
  codeCounts(filter: { from: number; to: number; wok?: string; org?: string }): Promise<CodeCount[]>;
  unparsed(cursor?: string | null, limit?: number): Promise<Page<Unparsed>>;
  stats(): Promise<Stats>;

  putInventory(inv: Inventory): Promise<{ orgs: number; woks: number; keys: number }>;
  keysByPrefix(prefix: string): Promise<InventoryKey[]>;
  wok(id: string): Promise<InventoryWok | null>;
  inventory(): Promise<Inventory>;

  /** Deletes what is older than `before` (epoch ms), in bounded batches; returns the number of events removed. */
  prune(before: number): Promise<number>;
  close(): Promise<void>;
}

export class StoreError extends Error {
  override name = 'StoreError';
  constructor(
    message: string,
    readonly reason: 'full' | 'readonly' | 'busy' | 'corrupt' | 'other',
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
