/**
 * The values the Store takes and returns: batches to write, filters, pages,
 * counts. Plain data, the same for every backend (store.ts names the parts
 * that take them).
 */
import type { ContainerRef, Event, Source, Unparsed } from '../model/event.js';
import type { Checkpoint, StreamInfo, StreamState } from '../model/stream.js';
import type { LeaseFence } from '../model/lease.js';

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
  /** The lease the lines were read under: checked in the write's transaction, which fails with LeaseLost (writing nothing) unless it is still held. */
  fence?: LeaseFence;
}

/** A day of history prune dropped whole (PostgreSQL's day partitions). */
export interface DroppedDay {
  /** The UTC day, 2026-11-24. */
  day: string;
  /** The events it held, exactly (counted as they were written). */
  events: number;
  /** The rows of the other tables (requests, unparsed, audit, lifecycle, lookups), as the database estimates them. */
  otherRowsEstimate: number;
  /** The partitions dropped. */
  partitions: string[];
}

/** What prune removed. */
export interface PruneResult {
  /** Events removed, exactly: in the days dropped and deleted one by one. */
  events: number;
  /** Days dropped whole, oldest first; always empty where the store deletes rows (SQLite). */
  droppedDays: DroppedDay[];
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
