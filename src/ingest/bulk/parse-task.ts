/**
 * Runs one ParseTask: reads its bytes, splits and parses the lines, prepares
 * the blocks the store will write, and hands over pieces in order. No store,
 * no shared state: it runs in a parser thread.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import type { Source } from '../../model/event.js';
import type { Redactor } from '../../redact/redactor.js';
import { prepareBlocks } from '../../store/prepared-batch.js';
import { pgPrefix } from '../parsers/pg-prefix.js';
import { StreamParser } from '../parsers/stream-parser.js';
import { ByteTail } from '../readers/byte-tail.js';
import { LineSplitter, type SplitLine } from '../readers/line-splitter.js';
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
    const parser = new StreamParser(task.stream, task.maxLine, pgPrefix(task.pgLogLinePrefix), redactor);
    const splitter = new LineSplitter(begin, task.maxLine);
    const tail = new ByteTail(begin);
    const parsed: Record<Source, number> = { cp: 0, container: 0, audit: 0 };
    let seq = 0;
    let lineNo = 0;
    let lines = 0;
    let lineBytes = 0;
    let bytes = 0;
    let invalid = 0;
    let truncated = 0;
    let lastTime: number | null = null;
    /** Offset of the first line that belongs to the next range task, once reached. */
    let stopAt: number | null = null;

    const onLine = (l: SplitLine) => {
      if (stopAt !== null) return;
      if (task.kind === 'range' && l.offset >= task.end) {
        stopAt = l.offset;
        return;
      }
      lineNo++;
      lines++;
      lineBytes += l.end - l.offset;
      if (l.invalidUtf8) invalid++;
      if (l.truncatedBytes !== null) truncated++;
      parser.push(l.text, l.offset, lineNo, { invalidUtf8: l.invalidUtf8, truncated: l.truncatedBytes !== null, bytes: l.truncatedBytes ?? undefined });
    };

    const flush = (last: boolean) => {
      if (last && task.final && stopAt === null) {
        splitter.end(onLine);
        parser.finish();
      }
      const { events, unparsed } = parser.take();
      for (const e of events) {
        parsed[e.source]++;
        if (lastTime === null || e.time > lastTime) lastTime = e.time;
      }
      const pending = parser.pendingStart();
      const consumed = stopAt ?? splitter.consumed;
      const endOffset = pending ? pending.offset : consumed;
      emit({
        task: task.id,
        seq: seq++,
        last,
        blocks: prepareBlocks(events, redactor),
        unparsed,
        endOffset,
        tail: tail.digestAt(endOffset),
        endLine: pending ? pending.line - 1 : lineNo,
        lastTime,
        lines,
        bytes,
        parsed: { cp: parsed.cp, container: parsed.container, audit: parsed.audit },
        invalidUtf8: invalid,
        truncated,
        pendingBytes: last && stopAt === null ? splitter.pending + (pending ? consumed - pending.offset : 0) : 0,
      });
      lines = bytes = invalid = truncated = lineBytes = 0;
      parsed.cp = parsed.container = parsed.audit = 0;
    };

    let pos = begin;
    while (stopAt === null) {
      if (task.kind === 'range' && splitter.consumed >= task.end) break;
      const n = readSync(fd, buf, 0, READ_CHUNK, pos);
      if (n === 0) break;
      pos += n;
      bytes += n;
      splitter.push(buf.subarray(0, n), onLine);
      tail.push(buf.subarray(0, n), stopAt ?? splitter.consumed);
      // A piece ends at a number of lines or of bytes, whichever comes first: long lines must not make huge pieces.
      if ((lines >= task.batchLines || lineBytes >= PIECE_BYTES) && stopAt === null) flush(false);
    }
    flush(true);
  } finally {
    closeSync(fd);
  }
}
