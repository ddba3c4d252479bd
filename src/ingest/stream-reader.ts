/**
 * The stream stage, once: bytes of one stream → lines (line-splitter.ts) →
 * events and unparsed lines (stream-parser.ts), with the bytes before each
 * checkpoint (byte-tail.ts) and the counts every report and checkpoint is
 * made of. Pure: whoever reads the bytes (a file, stdin, a pushed body, a
 * parser thread's range) pushes them in, and takes what they became together
 * with the checkpoint they reach: never past a line still waiting for its
 * other parts (a Docker or journald partial line), so a commit of what is
 * taken loses nothing and repeats nothing.
 */
import type { Event, Source, Unparsed } from '../model/event.js';
import type { Checkpoint, StreamInfo } from '../model/stream.js';
import type { Redactor } from '../redact/redactor.js';
import type { StreamBatch } from '../store/store.js';
import { DEFAULT_PG_PREFIX, type PgLinePrefix } from './parsers/pg-prefix.js';
import { StreamParser, WHOLE_LINE, type KeepEvent } from './parsers/stream-parser.js';
import { ByteTail } from './readers/byte-tail.js';
import { LineSplitter, type SplitLine } from './readers/line-splitter.js';

/** Decides per line whether it is read at all, and adds rows of its own to each commit (journal-marks.ts). */
export interface LineGate {
  admit(text: string, offset: number): boolean;
  /** Batches committed together with the stream's lines before `offset`. */
  batches(offset: number): StreamBatch[];
}

/** The file a stream was read through, as its checkpoint records it. */
export interface FileState {
  dev: number | null;
  ino: number | null;
  size: number | null;
}

/** Not read through a file (stdin, a pushed body, a journald sequence). */
export const NO_FILE: FileState = { dev: null, ino: null, size: null };

/** How far a batch of lines reaches: a checkpoint's fields besides its stream and file. */
export type Reach = Omit<Checkpoint, 'stream' | keyof FileState | 'tail'> & { tail: string | null };

/** The one way a checkpoint is made: what is not given is zero, null or unknown. */
export function checkpointAt(stream: string, reach: Partial<Reach> & { offset: number }, file: FileState = NO_FILE): Checkpoint {
  return {
    stream,
    offset: reach.offset,
    line: reach.line ?? 0,
    dev: file.dev,
    ino: file.ino,
    size: file.size,
    lastTime: reach.lastTime ?? null,
    unparsed: reach.unparsed ?? 0,
    invalidUtf8: reach.invalidUtf8 ?? 0,
    truncated: reach.truncated ?? 0,
    tail: reach.tail ?? null,
  };
}

/** What was read: lines and bytes as pushed, events and unparsed lines as taken. */
export interface ReadCounts {
  lines: number;
  bytes: number;
  /** Bytes of the lines read, newlines included. */
  lineBytes: number;
  invalidUtf8: number;
  truncated: number;
  /** Lines the gate turned away (stored by an earlier run). */
  skipped: number;
  parsed: Record<Source, number>;
  unparsed: number;
}

function noCounts(): ReadCounts {
  return { lines: 0, bytes: 0, lineBytes: 0, invalidUtf8: 0, truncated: 0, skipped: 0, parsed: { cp: 0, container: 0, audit: 0 }, unparsed: 0 };
}

function minus(a: ReadCounts, b: ReadCounts): ReadCounts {
  return {
    lines: a.lines - b.lines,
    bytes: a.bytes - b.bytes,
    lineBytes: a.lineBytes - b.lineBytes,
    invalidUtf8: a.invalidUtf8 - b.invalidUtf8,
    truncated: a.truncated - b.truncated,
    skipped: a.skipped - b.skipped,
    parsed: { cp: a.parsed.cp - b.parsed.cp, container: a.parsed.container - b.parsed.container, audit: a.parsed.audit - b.parsed.audit },
    unparsed: a.unparsed - b.unparsed,
  };
}

/** What one take() hands over. */
export interface Taken<T = Event> {
  events: T[];
  unparsed: Unparsed[];
  /** Where the stream may be checkpointed after these (line counted from the reader's start line). */
  reach: Reach;
  checkpoint: Checkpoint;
  /** What the gate commits together with these lines. */
  gated: StreamBatch[];
  /** Counted since the previous take. */
  counts: ReadCounts;
  /** Bytes at the end held back: a last line without its newline, or an unfinished Docker line. */
  pendingBytes: number;
}

export interface ReaderOptions<T = Event> {
  maxLine: number;
  /** Removes secrets from the heads kept of unparsed lines (events are redacted where the store encodes them). */
  redactor: Redactor;
  /** The log_line_prefix PostgreSQL text lines are written with. */
  pg?: PgLinePrefix;
  /** Where reading starts: a line's start (a checkpoint's offset and line). */
  start?: { offset: number; line: number } | null;
  gate?: LineGate | null;
  /** Lines that start at or after this offset are left for whoever reads on from there (a range of a file). */
  end?: number | null;
  /** Keeps the bytes before each checkpoint for its tail digest (default true; a pushed body has no file to check). */
  tail?: boolean;
  /** The only source the stream may hold: other events become unparsed lines (received at `at`). */
  only?: { source: Source; at: number } | null;
  /** What is kept of each event until take() (default: the event); not together with `only`. */
  keep?: KeepEvent<T>;
}

export class StreamReader<T extends { source: Source; time: number } = Event> {
  private readonly parser: StreamParser<T>;
  private readonly splitter: LineSplitter;
  private readonly tail: ByteTail | null;
  private readonly gate: LineGate | null;
  private readonly stopOffset: number | null;
  private readonly only: { source: Source; at: number } | null;
  private readonly redactor: Redactor;
  private lineNo: number;
  private lastTime: number | null = null;
  /** Offset of the first line left for the next range, once reached. */
  private stopAt: number | null = null;
  /** Everything read so far. */
  readonly counts = noCounts();
  private atTake = noCounts();
  private readonly sink = (l: SplitLine) => this.line(l);

  constructor(
    private readonly info: StreamInfo,
    o: ReaderOptions<T>,
  ) {
    const start = o.start ?? { offset: 0, line: 0 };
    if (o.keep && o.only) throw new Error('a reader that keeps only one source keeps events');
    this.parser = new StreamParser<T>(info, o.maxLine, o.pg ?? DEFAULT_PG_PREFIX, o.redactor, o.keep);
    this.redactor = o.redactor;
    this.splitter = new LineSplitter(start.offset, o.maxLine);
    this.tail = o.tail === false ? null : new ByteTail(start.offset);
    this.lineNo = start.line;
    this.gate = o.gate ?? null;
    this.stopOffset = o.end ?? null;
    this.only = o.only ?? null;
  }

  /** The line after the range's end was reached: nothing more is read. */
  get stopped(): boolean {
    return this.stopAt !== null;
  }

  /** Offset of the first byte not yet part of a line read (or of the first line left to the next range). */
  get consumed(): number {
    return this.stopAt ?? this.splitter.consumed;
  }

  /** Lines and their bytes read since the previous take. */
  get untaken(): { lines: number; lineBytes: number } {
    return { lines: this.counts.lines - this.atTake.lines, lineBytes: this.counts.lineBytes - this.atTake.lineBytes };
  }

  /** The next bytes of the stream, directly after what came before. */
  push(chunk: Buffer): void {
    this.counts.bytes += chunk.length;
    this.splitter.push(chunk, this.sink);
    this.tail?.push(chunk, this.consumed);
  }

  /** The stream will not grow: a last line without its newline and any unfinished Docker line are taken as they are. */
  end(): void {
    if (this.stopped) return;
    this.splitter.end(this.sink);
    this.parser.finish();
  }

  /** The events and unparsed lines read since the previous take, with the checkpoint they reach. */
  take(file: FileState = NO_FILE): Taken<T> {
    let { events, unparsed } = this.parser.take();
    // Only a reader that keeps the events themselves is given `only` (the constructor holds to that).
    if (this.only) ({ events, unparsed } = this.keepOnly(this.only, events as unknown as Event[], unparsed) as unknown as { events: T[]; unparsed: Unparsed[] });
    for (const e of events) {
      this.counts.parsed[e.source]++;
      if (this.lastTime === null || e.time > this.lastTime) this.lastTime = e.time;
    }
    this.counts.unparsed += unparsed.length;
    const counts = minus(this.counts, this.atTake);
    this.atTake = { ...this.counts, parsed: { ...this.counts.parsed } };
    const pending = this.parser.pendingStart();
    const consumed = this.consumed;
    const offset = pending ? pending.offset : consumed;
    const reach: Reach = {
      offset,
      line: pending ? pending.line - 1 : this.lineNo,
      lastTime: this.lastTime,
      unparsed: unparsed.length,
      invalidUtf8: counts.invalidUtf8,
      truncated: counts.truncated,
      tail: this.tail?.digestAt(offset) ?? null,
    };
    return {
      events,
      unparsed,
      reach,
      checkpoint: checkpointAt(this.info.key, reach, file),
      gated: this.gate?.batches(offset) ?? [],
      counts,
      pendingBytes: this.stopped ? 0 : this.splitter.pending + (pending ? consumed - pending.offset : 0),
    };
  }

  private line(l: SplitLine): void {
    if (this.stopAt !== null) return;
    if (this.stopOffset !== null && l.offset >= this.stopOffset) {
      this.stopAt = l.offset;
      return;
    }
    const c = this.counts;
    this.lineNo++;
    c.lines++;
    c.lineBytes += l.end - l.offset;
    if (l.invalidUtf8) c.invalidUtf8++;
    if (l.truncatedBytes !== null) c.truncated++;
    // Stored by an earlier run: counted, not read again.
    else if (this.gate && !this.gate.admit(l.text, l.offset)) return void c.skipped++;
    const flags = l.invalidUtf8 || l.truncatedBytes !== null ? { invalidUtf8: l.invalidUtf8, truncated: l.truncatedBytes !== null, bytes: l.truncatedBytes ?? undefined } : WHOLE_LINE;
    this.parser.push(l.text, l.offset, this.lineNo, flags);
  }

  /** Events of another source than the stream may hold, as unparsed lines in offset order. */
  private keepOnly(only: { source: Source; at: number }, events: Event[], unparsed: Unparsed[]): { events: Event[]; unparsed: Unparsed[] } {
    const keep: Event[] = [];
    for (const e of events) {
      if (e.source === only.source) keep.push(e);
      else {
        const offset = Number(e.id.slice(e.id.lastIndexOf(':') + 1));
        unparsed.push({ stream: this.info.key, path: null, offset, line: 0, reason: `a ${e.source} line, but the batch was sent as kind=${only.source}`, head: this.redactor.text(e.message.slice(0, 240)), time: only.at });
      }
    }
    unparsed.sort((a, b) => a.offset - b.offset);
    return { events: keep, unparsed };
  }
}
