/**
 * Bytes of one stream → batches in the store. Splits lines, parses them,
 * and every `batchLines` lines writes the events together with the checkpoint
 * they reach (never past a Docker line still waiting for its last part), so
 * a crash at any point loses nothing and a restart doubles nothing.
 */
import type { Source } from '../model/event.js';
import type { Checkpoint, StreamInfo } from '../model/stream.js';
import type { Store, StreamBatch } from '../store/store.js';
import { DEFAULT_PG_LOG_LINE_PREFIX, pgPrefix } from './parsers/pg-prefix.js';
import { StreamParser } from './parsers/stream-parser.js';
import { ByteTail } from './readers/byte-tail.js';
import { LineSplitter, type SplitLine } from './readers/line-splitter.js';

export interface IngestOptions {
  /** Lines longer than this many bytes are kept truncated (default 1 MiB). */
  maxLine: number;
  /** Lines per batch (one transaction each). */
  batchLines: number;
  /** The log_line_prefix PostgreSQL text lines are written with (DIAG_PG_LOG_LINE_PREFIX; checked with compilePgPrefix beforehand). */
  pgLogLinePrefix?: string;
}

/** Decides per line whether it is read at all, and adds rows of its own to each commit (journal-marks.ts). */
export interface LineGate {
  admit(text: string, offset: number): boolean;
  /** Batches committed together with the stream's lines before `offset`. */
  batches(offset: number): StreamBatch[];
}

export const DEFAULT_INGEST: IngestOptions = { maxLine: 1024 * 1024, batchLines: 20_000, pgLogLinePrefix: DEFAULT_PG_LOG_LINE_PREFIX };

export interface StreamReport {
  stream: string;
  path: string | null;
  lines: number;
  bytes: number;
  parsed: Record<Source, number>;
  stored: number;
  unparsed: number;
  duplicates: number;
  invalidUtf8: number;
  truncated: number;
  /** Bytes at the end held back: a last line without its newline, or an unfinished Docker line. */
  pendingBytes: number;
}

export interface FileState {
  dev: number | null;
  ino: number | null;
  size: number | null;
}

export class StreamIngester {
  private readonly parser: StreamParser;
  private readonly splitter: LineSplitter;
  private lineNo: number;
  private sinceFlush = 0;
  private lastTime: number | null = null;
  private batchInvalid = 0;
  private batchTruncated = 0;
  readonly report: StreamReport;
  private readonly sink = (l: SplitLine) => this.line(l);
  /** The bytes before the checkpoint as read, for its tail digest. */
  private readonly tail: ByteTail;

  private constructor(
    private readonly store: Store,
    private readonly info: StreamInfo,
    readonly start: Checkpoint | null,
    private readonly opts: IngestOptions,
    private file: FileState,
    private readonly gate: LineGate | null,
  ) {
    this.parser = new StreamParser(info, opts.maxLine, pgPrefix(opts.pgLogLinePrefix ?? DEFAULT_PG_LOG_LINE_PREFIX), store.redactor);
    this.splitter = new LineSplitter(start?.offset ?? 0, opts.maxLine);
    this.tail = new ByteTail(start?.offset ?? 0);
    this.lineNo = start?.line ?? 0;
    this.report = {
      stream: info.key,
      path: info.path,
      lines: 0,
      bytes: 0,
      parsed: { cp: 0, container: 0, audit: 0 },
      stored: 0,
      unparsed: 0,
      duplicates: 0,
      invalidUtf8: 0,
      truncated: 0,
      pendingBytes: 0,
    };
  }

  /** Opens a stream at its committed checkpoint. */
  static async open(store: Store, info: StreamInfo, opts: IngestOptions, file: FileState = { dev: null, ino: null, size: null }, gate: LineGate | null = null): Promise<StreamIngester> {
    return new StreamIngester(store, info, await store.checkpoint(info.key), opts, file, gate);
  }

  /** Where reading resumes: the committed checkpoint's offset. */
  get offset(): number {
    return this.start?.offset ?? 0;
  }

  setFileState(file: FileState): void {
    this.file = file;
  }

  /** The next bytes of the stream, directly after what came before. */
  async push(chunk: Buffer): Promise<void> {
    this.report.bytes += chunk.length;
    this.splitter.push(chunk, this.sink);
    this.tail.push(chunk, this.splitter.consumed);
    if (this.sinceFlush >= this.opts.batchLines) await this.flush();
  }

  /**
   * Writes what is collected. With `final`, the stream will not grow: a last
   * line without a newline and any unfinished Docker line are taken as they are.
   */
  async flush(final = false): Promise<void> {
    if (final) {
      this.splitter.end(this.sink);
      this.parser.finish();
    }
    const { events, unparsed } = this.parser.take();
    const pending = this.parser.pendingStart();
    const offset = pending ? pending.offset : this.splitter.consumed;
    const checkpoint: Checkpoint = {
      stream: this.info.key,
      offset,
      line: pending ? pending.line - 1 : this.lineNo,
      dev: this.file.dev,
      ino: this.file.ino,
      size: this.file.size,
      lastTime: this.lastTime,
      unparsed: unparsed.length,
      invalidUtf8: this.batchInvalid,
      truncated: this.batchTruncated,
      tail: this.tail.digestAt(offset),
    };
    this.sinceFlush = 0;
    this.batchInvalid = 0;
    this.batchTruncated = 0;
    for (const e of events) this.report.parsed[e.source]++;
    this.report.unparsed += unparsed.length;
    const r = await this.store.writeBatch({ streams: [{ stream: this.info, events, unparsed, checkpoint }, ...(this.gate?.batches(offset) ?? [])] });
    this.report.stored += r.events;
    this.report.duplicates += events.length - r.events;
    this.report.pendingBytes = this.splitter.pending + (pending ? this.splitter.consumed - pending.offset : 0);
  }

  private line(l: SplitLine): void {
    this.lineNo++;
    this.sinceFlush++;
    this.report.lines++;
    if (l.invalidUtf8) (this.batchInvalid++, this.report.invalidUtf8++);
    if (l.truncatedBytes !== null) (this.batchTruncated++, this.report.truncated++);
    // Stored by an earlier run: counted, not read again.
    if (this.gate && l.truncatedBytes === null && !this.gate.admit(l.text, l.offset)) {
      this.report.duplicates++;
      return;
    }
    const before = this.parser.events.length;
    this.parser.push(l.text, l.offset, this.lineNo, {
      invalidUtf8: l.invalidUtf8,
      truncated: l.truncatedBytes !== null,
      bytes: l.truncatedBytes ?? undefined,
    });
    if (this.parser.events.length > before) {
      const t = this.parser.events[this.parser.events.length - 1]!.time;
      if (this.lastTime === null || t > this.lastTime) this.lastTime = t;
    }
  }
}
