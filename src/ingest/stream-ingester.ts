/**
 * Bytes of one stream → batches in the store. Splits lines, parses them,
 * and every `batchLines` lines writes the events together with the checkpoint
 * they reach (never past a Docker line still waiting for its last part), so
 * a crash at any point loses nothing and a restart doubles nothing.
 */
import type { Source } from '../model/event.js';
import type { Checkpoint, StreamInfo } from '../model/stream.js';
import type { Store } from '../store/store.js';
import { DEFAULT_PG_LOG_LINE_PREFIX, pgPrefix } from './parsers/pg-prefix.js';
import { NO_FILE, StreamReader, type FileState, type LineGate } from './stream-reader.js';

export interface IngestOptions {
  /** Lines longer than this many bytes are kept truncated (default 1 MiB). */
  maxLine: number;
  /** Lines per batch (one transaction each). */
  batchLines: number;
  /** The log_line_prefix PostgreSQL text lines are written with (DIAG_PG_LOG_LINE_PREFIX; checked with compilePgPrefix beforehand). */
  pgLogLinePrefix?: string;
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

export class StreamIngester {
  private readonly reader: StreamReader;
  private stored = 0;
  /** Events the store already held (read again after a crash between a commit and its checkpoint). */
  private storedBefore = 0;
  private pendingBytes = 0;

  private constructor(
    private readonly store: Store,
    private readonly info: StreamInfo,
    readonly start: Checkpoint | null,
    private readonly opts: IngestOptions,
    private file: FileState,
    gate: LineGate | null,
  ) {
    this.reader = new StreamReader(info, { maxLine: opts.maxLine, redactor: store.redactor, pg: pgPrefix(opts.pgLogLinePrefix ?? DEFAULT_PG_LOG_LINE_PREFIX), start, gate });
  }

  /** Opens a stream at its committed checkpoint. */
  static async open(store: Store, info: StreamInfo, opts: IngestOptions, file: FileState = NO_FILE, gate: LineGate | null = null): Promise<StreamIngester> {
    return new StreamIngester(store, info, await store.checkpoint(info.key), opts, file, gate);
  }

  /** Where reading resumes: the committed checkpoint's offset. */
  get offset(): number {
    return this.start?.offset ?? 0;
  }

  /** What was read so far (lines and bytes as pushed; events as flushed). */
  get report(): StreamReport {
    const c = this.reader.counts;
    return {
      stream: this.info.key,
      path: this.info.path,
      lines: c.lines,
      bytes: c.bytes,
      parsed: { ...c.parsed },
      stored: this.stored,
      unparsed: c.unparsed,
      duplicates: c.skipped + this.storedBefore,
      invalidUtf8: c.invalidUtf8,
      truncated: c.truncated,
      pendingBytes: this.pendingBytes,
    };
  }

  setFileState(file: FileState): void {
    this.file = file;
  }

  /** The next bytes of the stream, directly after what came before. */
  async push(chunk: Buffer): Promise<void> {
    this.reader.push(chunk);
    if (this.reader.untaken.lines >= this.opts.batchLines) await this.flush();
  }

  /**
   * Writes what is collected. With `final`, the stream will not grow: a last
   * line without a newline and any unfinished Docker line are taken as they are.
   */
  async flush(final = false): Promise<void> {
    if (final) this.reader.end();
    const t = this.reader.take(this.file);
    const r = await this.store.writeBatch({ streams: [{ stream: this.info, events: t.events, unparsed: t.unparsed, checkpoint: t.checkpoint }, ...t.gated] });
    this.stored += r.events;
    this.storedBefore += t.events.length - r.events;
    this.pendingBytes = t.pendingBytes;
  }
}
