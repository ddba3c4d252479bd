/**
 * Runs one ParseTask: reads its bytes, splits and parses the lines, prepares
 * the blocks the store will write, and hands over pieces in order. No store,
 * no shared state: it runs in a parser thread.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import type { Redactor } from '../../redact/redactor.js';
import type { Event, Source } from '../../model/event.js';
import { encodeForStore } from '../../store/event-codec.js';
import { BlockBuilder } from '../../store/prepared-batch.js';
import { pgPrefix } from '../parsers/pg-prefix.js';
import { StreamReader } from '../stream-reader.js';
import type { ParseTask, Piece } from './tasks.js';

const READ_CHUNK = 1024 * 1024;

/** What the reader keeps of an event until the piece ends: what it counts, and the event with its stored line unless it is in a block already. */
interface Kept {
  source: Source;
  time: number;
  /** Null once in a block. */
  e: Event | null;
  line: string;
  offset: number;
}
/** Bytes of lines after which a piece is handed over even if it has fewer than batchLines lines. */
export const PIECE_BYTES = 4 * 1024 * 1024;

/** The first line start at or after `at`: `at` itself when the byte before it is a newline. */
function lineStartFrom(fd: number, at: number, buf: Buffer): number {
  let pos = at - 1;
  for (;;) {
    const n = readSync(fd, buf, 0, buf.length, pos);
    if (n === 0) return pos;
    const nl = buf.subarray(0, n).indexOf(10);
    if (nl >= 0) return pos + nl + 1;
    pos += n;
  }
}

export function runTask(task: ParseTask, emit: (p: Piece) => void, redactor: Redactor): void {
  const fd = openSync(task.path, 'r');
  try {
    const buf = Buffer.allocUnsafe(READ_CHUNK);
    const begin = task.atLineStart ? task.start : lineStartFrom(fd, task.start, buf);
    const builder = new BlockBuilder();
    const reader = new StreamReader<Kept>(task.stream, {
      maxLine: task.maxLine,
      redactor,
      pg: pgPrefix(task.pgLogLinePrefix),
      start: { offset: begin, line: 0 },
      end: task.kind === 'range' ? task.end : null,
      // Each event is encoded (and redacted) as soon as it is parsed, and goes into its block at once while lines
      // come in offset order: the parsed objects and the stored lines die young instead of waiting for the piece.
      keep: (e, offset, mayReorder) => {
        const line = encodeForStore(e, redactor, offset);
        if (mayReorder) return { source: e.source, time: e.time, e, line, offset };
        builder.push(e, line, offset);
        return { source: e.source, time: e.time, e: null, line: '', offset };
      },
    });
    let seq = 0;
    const flush = (last: boolean) => {
      if (last && task.final) reader.end();
      const t = reader.take();
      // The lines kept until now (those that may complete out of order) come after every line built already.
      for (const k of t.events) if (k.e) builder.push(k.e, k.line, k.offset);
      emit({ task: task.id, seq: seq++, last, blocks: builder.take(), unparsed: t.unparsed, reach: t.reach, counts: t.counts, pendingBytes: last ? t.pendingBytes : 0 });
    };

    let pos = begin;
    while (!reader.stopped) {
      if (task.kind === 'range' && reader.consumed >= task.end) break;
      const n = readSync(fd, buf, 0, READ_CHUNK, pos);
      if (n === 0) break;
      pos += n;
      reader.push(buf.subarray(0, n));
      // A piece ends at a number of lines or of bytes, whichever comes first: long lines must not make huge pieces.
      const { lines, lineBytes } = reader.untaken;
      if ((lines >= task.batchLines || lineBytes >= PIECE_BYTES) && !reader.stopped) flush(false);
    }
    flush(true);
  } finally {
    closeSync(fd);
  }
}
