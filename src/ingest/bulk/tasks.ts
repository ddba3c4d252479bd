/**
 * What the bulk-ingest threads say to each other. Every value is plain data
 * (structured-clone friendly): tasks go to parser threads, pieces come back.
 */
import type { Unparsed } from '../../model/event.js';
import type { StreamInfo } from '../../model/stream.js';
import type { PreparedBlock } from '../../store/prepared-batch.js';
import type { ThreadError } from '../../threads/thread-error.js';
import type { ThreadProtocol } from '../../threads/typed-worker.js';
import type { Reach, ReadCounts } from '../stream-reader.js';

/**
 * Part of one stream for a parser thread to read. A `range` task takes the
 * lines that START in [start, end) of a file whose lines stand alone (cp and
 * audit logs), so one big file spreads over every thread. A `stream` task
 * reads a file from `start` to its end in order (Docker logs, whose long
 * lines come in parts that must be joined).
 */
export interface ParseTask {
  id: number;
  kind: 'range' | 'stream';
  stream: StreamInfo;
  path: string;
  start: number;
  /** Exclusive; for `stream` tasks the size seen when planning. */
  end: number;
  /** True when `start` is known to begin a line (the stream's checkpoint). */
  atLineStart: boolean;
  /** The file will not grow: a last line without a newline, or an unfinished Docker line, is taken. */
  final: boolean;
  maxLine: number;
  batchLines: number;
  /** The log_line_prefix of PostgreSQL text lines (compiled again in the parser thread). */
  pgLogLinePrefix: string;
}

/** One batch of a task's output, in order. Line numbers are relative to the task's first line. */
export interface Piece {
  task: number;
  seq: number;
  /** The task's last piece. */
  last: boolean;
  blocks: PreparedBlock[];
  /** Unparsed lines, `line` relative to the task (1 = its first line). */
  unparsed: Unparsed[];
  /** Where the checkpoint may move after this piece (never past an unfinished Docker line); `line` counted from the task's start. */
  reach: Reach;
  /** What the piece read. */
  counts: ReadCounts;
  /** Set on the last piece: bytes held back at the end. */
  pendingBytes: number;
}

export type WorkerMessage = { type: 'piece'; piece: Piece } | { type: 'done'; task: number } | { type: 'error'; task: number; error: ThreadError };

/** A parser thread (parse-worker.ts): started with nothing, given tasks one at a time. */
export type ParseThread = ThreadProtocol<null, { type: 'task'; task: ParseTask }, WorkerMessage>;
