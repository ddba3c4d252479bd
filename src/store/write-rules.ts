/**
 * The rules of a batch write, the same for every store, as pure functions:
 * which lines of a stream's part of a batch are new, what the stream's row
 * becomes, what the write answers, and what a repeated idempotency key gets.
 * A store reads the stream row inside its write transaction (SQLite's
 * IMMEDIATE transaction, PostgreSQL's row lock), applies these and writes
 * the values back as they come out: no store repeats a rule in SQL.
 */
import type { Source } from '../model/event.js';
import type { Checkpoint } from '../model/stream.js';
import { IdempotencyConflict, type WriteResult } from './store.js';
import { storedLines } from './block-codec.js';
import { decodeEvent } from './event-codec.js';
import { prepareBlocks, type PreparedBlock, type PreparedStream } from './prepared-batch.js';
import type { Redactor } from '../redact/redactor.js';

/** How far a stream is committed, and the offsets past that whose lines are stored already (ascending, each once). */
export interface StreamMark {
  offset: number;
  ahead: readonly number[];
}

/** A stream's row as stored: its checkpoint, counters and mark. */
export interface StoredStream extends StreamMark {
  path: string | null;
  dev: number | null;
  ino: number | null;
  line: number;
  size: number | null;
  lastTime: number | null;
  tail: string | null;
  events: number;
  unparsed: number;
  invalidUtf8: number;
  truncated: number;
}

/** What one part of a batch brings to its stream's row. */
export interface StreamPart {
  path: string | null;
  checkpoint: Checkpoint;
  /** Lines of the part actually stored now: events and unparsed lines. */
  events: number;
  unparsed: number;
  /** The stream's mark after the part (markAfter). */
  ahead: readonly number[];
}

/**
 * Which offsets of a stream are new: at or past its committed offset and not
 * among the lines already stored past it. A re-read (a crash before the
 * commit, two readers of one file) so never stores a line twice.
 */
export function freshFilter(mark: StreamMark): (offset: number) => boolean {
  const floor = mark.offset;
  if (!mark.ahead.length) return (offset) => offset >= floor;
  const ahead = new Set(mark.ahead);
  return (offset) => offset >= floor && !ahead.has(offset);
}

/** The committed offset after a checkpoint: it never moves back (a second reader may be behind the first). */
function committedOffset(stored: number, checkpoint: Checkpoint): number {
  return Math.max(stored, checkpoint.offset);
}

/**
 * A stream's mark after a part: the committed offset, and as ahead the offsets
 * kept now (`kept`: lists of offsets of the lines stored) and before that lie
 * at or past it. The same stream twice in one batch: the second part is
 * checked against the mark the first one left.
 */
export function markAfter(mark: StreamMark, checkpoint: Checkpoint, kept: readonly (readonly number[])[]): StreamMark {
  const offset = committedOffset(mark.offset, checkpoint);
  const ahead: number[] = [];
  for (const list of kept) for (const o of list) if (o >= offset) ahead.push(o);
  for (const o of mark.ahead) if (o >= offset) ahead.push(o);
  if (ahead.length < 2) return { offset, ahead };
  ahead.sort((a, b) => a - b);
  let n = 1;
  for (let i = 1; i < ahead.length; i++) if (ahead[i] !== ahead[n - 1]) ahead[n++] = ahead[i]!;
  ahead.length = n;
  return { offset, ahead };
}

/**
 * The stream row after a part: offset and line never move back, lastTime is
 * the newest known, size, dev and ino are the part's, a path is kept when the
 * part names none, counters add up. The tail digest describes the bytes before
 * the offset: a newer offset brings its own (or none), the same offset keeps
 * the stored one when the part has none, an older one changes nothing.
 */
export function mergeStream(row: StoredStream, part: StreamPart): StoredStream {
  const cp = part.checkpoint;
  const tail = cp.tail ?? null;
  return {
    path: part.path ?? row.path,
    dev: cp.dev,
    ino: cp.ino,
    offset: committedOffset(row.offset, cp),
    line: Math.max(row.line, cp.line),
    size: cp.size,
    lastTime: cp.lastTime === null ? row.lastTime : row.lastTime === null ? cp.lastTime : Math.max(row.lastTime, cp.lastTime),
    tail: cp.offset > row.offset ? tail : cp.offset === row.offset ? (tail ?? row.tail) : row.tail,
    events: row.events + part.events,
    unparsed: row.unparsed + part.unparsed,
    invalidUtf8: row.invalidUtf8 + cp.invalidUtf8,
    truncated: row.truncated + cp.truncated,
    ahead: part.ahead,
  };
}

/** What a write answers: a duplicate when it offered lines and none of them was new. */
export function writeResult(offered: number, events: number, unparsed: number): WriteResult {
  return { events, unparsed, duplicate: offered > 0 && events + unparsed === 0 };
}

/** The idempotency record of a key: the digest of the batch written under it, and its result as JSON (null while being written). */
export interface IdempotencyRecord {
  digest: string;
  result: string | null;
}

/**
 * A batch under an idempotency key already recorded: another batch under it is
 * refused (IdempotencyConflict); the same one answers the stored result as a
 * duplicate. Null: nothing is recorded yet, the batch is written.
 */
export function idempotentRepeat(idempotency: { key: string; digest: string }, prior: IdempotencyRecord | undefined): WriteResult | null {
  if (!prior) return null;
  if (prior.digest !== idempotency.digest) throw new IdempotencyConflict(idempotency.key);
  return prior.result ? { ...(JSON.parse(prior.result) as WriteResult), duplicate: true } : null;
}

/** Events stored per source in one write, for the counters. */
export type SourceCounts = Partial<Record<Source, number>>;

export function countSource(counts: SourceCounts, source: Source, n: number): void {
  counts[source] = (counts[source] ?? 0) + n;
}

/** The counter rows to add, by source name (one order for every writer, so concurrent ones never deadlock). */
export function counterRows(counts: SourceCounts): [Source, number][] {
  return (Object.keys(counts) as Source[]).sort().map((s) => [s, counts[s]!]);
}

/**
 * The blocks of a stream with only the lines not stored yet. Whole blocks pass
 * as they are; a block with some stale lines (rare: a re-read overlapping the
 * checkpoint) is unpacked, decoded and prepared again from its fresh lines.
 */
export function freshBlocks(sb: PreparedStream, fresh: (offset: number) => boolean, redactor: Redactor): PreparedBlock[] {
  const out: PreparedBlock[] = [];
  for (const b of sb.blocks) {
    const keep = b.offsets.map(fresh);
    if (keep.every(Boolean)) out.push(b);
    else if (keep.some(Boolean)) {
      const ctx = { streamKey: sb.stream.key, source: b.source, container: b.container };
      const events = storedLines(b.packed).filter((_, i) => keep[i]).map((line) => decodeEvent(line, ctx));
      out.push(...prepareBlocks(events, redactor));
    }
  }
  return out;
}
