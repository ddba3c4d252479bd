/**
 * Runs one ParseTask: reads its bytes, splits and parses the lines, prepares
 * the blocks the store will write, and hands over pieces in order. No store,
 * no shared state: it runs in a parser thread.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import type { Redactor } from '../../redact/redactor.js';
import { blocksOf } from '../../store/prepared-batch.js';
import { prepareLine, type PreparedLine } from '../../store/prepared-line.js';
import { pgPrefix } from '../parsers/pg-prefix.js';
import { StreamReader } from '../stream-reader.js';
import type { ParseTask, Piece } from './tasks.js';

const READ_CHUNK = 1024 * 1024;
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
    const reader = new StreamReader<PreparedLine>(task.stream, {
      maxLine: task.maxLine,
      redactor,
      pg: pgPrefix(task.pgLogLinePrefix),
      start: { offset: begin, line: 0 },
      end: task.kind === 'range' ? task.end : null,
      // Each event is encoded as soon as it is parsed: only its stored line waits for the piece to end.
      keep: (e, offset) => prepareLine(e, redactor, offset),
    });
    let seq = 0;
    const flush = (last: boolean) => {
      if (last && task.final) reader.end();
      const t = reader.take();
      emit({ task: task.id, seq: seq++, last, blocks: blocksOf(t.events), unparsed: t.unparsed, reach: t.reach, counts: t.counts, pendingBytes: last ? t.pendingBytes : 0 });
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
