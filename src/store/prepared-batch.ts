/**
 * The CPU-heavy half of a write, as a pure function and the same for every
 * store: events → blocks of encoded (redacted) lines with the rows derived
 * from them (request summaries, audit and lifecycle records, the distinct
 * correlation ids), the lines packed as blocks store them. It touches no
 * database, so bulk ingest runs it in parser threads and hands the result to
 * whichever store is open (structured-clone friendly: strings, numbers, byte
 * arrays, plain objects).
 */
import { isWokChange, type AuditRecord, type LifecycleRecord } from '../model/activity.js';
import type { ContainerRef, Event, Source, Unparsed } from '../model/event.js';
import { summarize, type RequestSummary } from '../model/request.js';
import { auditTuple, isFailure, requestTuple } from './summary-codec.js';
import type { Checkpoint, StreamInfo } from '../model/stream.js';
import { encodeForStore, isNotable, offsetOf } from './event-codec.js';
import { packLines } from './block-codec.js';
import type { Redactor } from '../redact/redactor.js';
import type { WriteBatch } from './store.js';

/** A block closes at this many events, bytes of encoded lines, or milliseconds of time span. */
export const BLOCK_EVENTS = 512;
export const BLOCK_BYTES = 128 * 1024;
export const BLOCK_SPAN_MS = 15 * 60 * 1000;
const DAY_MS = 86_400_000;

/**
 * Whether an event's time falls on another UTC day than the block's: a block
 * never straddles midnight, so a store that partitions blocks by day (PostgreSQL)
 * files each block under one day and drops a day without splitting blocks.
 */
function otherDay(b: OpenBlock, t: number): boolean {
  return Math.floor(b.t0 / DAY_MS) !== Math.floor(t / DAY_MS) || Math.floor(b.t1 / DAY_MS) !== Math.floor(t / DAY_MS);
}

const EMPTY = new Uint8Array(0);

export interface PreparedBlock {
  source: Source;
  container: ContainerRef | null;
  t0: number;
  t1: number;
  notable: number;
  /** Byte offset of each line, in order. */
  offsets: number[];
  /** The encoded lines, joined by newlines and packed as blocks store them (block-codec.ts). */
  packed: Uint8Array;
  /** Distinct correlation ids in the block. */
  cids: string[];
  /** The block's requests or audit records as JSON tuples (summary-codec.ts), packed like the lines, or null. */
  summary: Uint8Array | null;
  /** Requests that failed: these also get rows of their own. */
  failures: RequestSummary[];
  /** Requests per minute, wok and caller: [minute, wok, org, key prefix, total, failed]. */
  traffic: TrafficCount[];
  lifecycle: LifecycleRecord[];
  /** Audit records whose action changes a wok (WOK_CHANGES): these also get rows of their own. */
  changes: AuditRecord[];
}

export type TrafficCount = [number, string, string, string, number, number];

export interface PreparedStream {
  stream: StreamInfo;
  checkpoint: Checkpoint;
  blocks: PreparedBlock[];
  unparsed: Unparsed[];
}

export interface PreparedBatch {
  streams: PreparedStream[];
  idempotency?: WriteBatch['idempotency'];
  fence?: WriteBatch['fence'];
}

/** Events share a block only if they decode with the same container (the block stores it once). */
function sameBlock(a: Event, b: Event): boolean {
  if (a.source !== b.source) return false;
  if (a.source !== 'container' || b.source !== 'container') return true;
  const x = a.container;
  const y = b.container;
  return x === y || (x.id === y.id && x.wok === y.wok && x.role === y.role && x.name === y.name && x.image === y.image);
}

interface OpenBlock extends PreparedBlock {
  lines: string[];
  seen: Set<string>;
  bytes: number;
  tuples: unknown[];
  counts: Map<string, TrafficCount>;
}

function open(e: Event): OpenBlock {
  return {
    source: e.source,
    container: e.source === 'container' ? e.container : null,
    t0: e.time,
    t1: e.time,
    notable: 0,
    offsets: [],
    packed: EMPTY,
    cids: [],
    summary: null,
    failures: [],
    traffic: [],
    lifecycle: [],
    changes: [],
    lines: [],
    seen: new Set(),
    bytes: 0,
    tuples: [],
    counts: new Map(),
  };
}

function close(b: OpenBlock): PreparedBlock {
  return {
    source: b.source,
    container: b.container,
    t0: b.t0,
    t1: b.t1,
    notable: b.notable,
    offsets: b.offsets,
    packed: packLines(b.lines.join('\n')),
    cids: b.cids,
    summary: b.tuples.length ? packLines(JSON.stringify(b.tuples)) : null,
    failures: b.failures,
    traffic: [...b.counts.values()],
    lifecycle: b.lifecycle,
    changes: b.changes,
  };
}

function count(b: OpenBlock, r: RequestSummary): void {
  const minute = Math.floor(r.time / 60_000);
  const failed = isFailure(r) ? 1 : 0;
  // The org is named here when the line named it; else the writer names it from the key prefix and the inventory.
  const key = `${minute}\u0000${r.wok ?? ''}\u0000${r.org ?? ''}\u0000${r.org ? '' : (r.keyPrefix ?? '')}`;
  const c = b.counts.get(key);
  if (c) {
    c[4]++;
    c[5] += failed;
  } else b.counts.set(key, [minute, r.wok ?? '', r.org ?? '', r.org ? '' : (r.keyPrefix ?? ''), 1, failed]);
}

function add(b: OpenBlock, e: Event, line: string, offset: number): void {
  b.lines.push(line);
  b.offsets.push(offset);
  b.bytes += line.length + 1;
  // A time that is no number poisons the block's range, and the writer refuses the batch.
  if (!Number.isFinite(e.time)) b.t0 = Number.NaN;
  if (e.time < b.t0) b.t0 = e.time;
  if (e.time > b.t1) b.t1 = e.time;
  if (isNotable(e)) b.notable++;
  if (e.cid && !b.seen.has(e.cid)) {
    b.seen.add(e.cid);
    b.cids.push(e.cid);
  }
  if (e.source === 'cp') {
    const r = e.http ? summarize(e) : null;
    if (r) {
      b.tuples.push(requestTuple(r));
      if (isFailure(r)) b.failures.push(r);
      count(b, r);
    }
  } else if (e.source === 'audit') {
    const a: AuditRecord = { eventId: e.id, time: e.time, cid: e.cid, actor: e.actor, org: e.org, wok: e.wok, action: e.action, outcome: e.outcome };
    b.tuples.push(auditTuple(a, offset));
    if (isWokChange(a.action)) b.changes.push(a);
  } else if (e.lifecycle) {
    const c = e.container;
    b.lifecycle.push({ eventId: e.id, containerId: c.id, containerName: c.name, wok: c.wok ?? e.wok, role: c.role, time: e.time, state: e.lifecycle, message: e.message.slice(0, 500) });
  }
}

/**
 * Splits one stream's events (in offset order) into blocks: one source and
 * container each, bounded in count, bytes and time span, all of one UTC day; each line encoded
 * with `redactor`'s secrets removed (encodeForStore).
 */
export function prepareBlocks(events: readonly Event[], redactor: Redactor): PreparedBlock[] {
  const builder = new BlockBuilder();
  for (const e of events) {
    // Encoding redacts the event in place when it may hold a secret: what follows reads the redacted event.
    const offset = offsetOf(e.id);
    builder.push(e, encodeForStore(e, redactor, offset), offset);
  }
  return builder.take();
}

/**
 * prepareBlocks one event at a time, so that a full block is packed while
 * its lines are young: events are pushed in offset order with their stored
 * lines; take() closes the open block and hands over every block made since
 * the last take.
 */
export class BlockBuilder {
  private out: PreparedBlock[] = [];
  private cur: OpenBlock | null = null;
  private first: Event | null = null;

  push(e: Event, line: string, offset: number): void {
    let cur = this.cur;
    if (
      cur &&
      (!sameBlock(this.first!, e) ||
        cur.lines.length >= BLOCK_EVENTS ||
        cur.bytes + line.length > BLOCK_BYTES ||
        Math.max(cur.t1, e.time) - Math.min(cur.t0, e.time) > BLOCK_SPAN_MS ||
        otherDay(cur, e.time))
    ) {
      this.out.push(close(cur));
      cur = null;
    }
    if (!cur) {
      cur = this.cur = open(e);
      this.first = e;
    }
    add(cur, e, line, offset);
  }

  take(): PreparedBlock[] {
    if (this.cur) this.out.push(close(this.cur));
    this.cur = this.first = null;
    const out = this.out;
    this.out = [];
    return out;
  }
}

export function prepareBatch(batch: WriteBatch, redactor: Redactor): PreparedBatch {
  return {
    streams: batch.streams.map((sb) => ({ stream: sb.stream, checkpoint: sb.checkpoint, blocks: prepareBlocks(sb.events, redactor), unparsed: sb.unparsed })),
    ...(batch.idempotency ? { idempotency: batch.idempotency } : {}),
    ...(batch.fence ? { fence: batch.fence } : {}),
  };
}
