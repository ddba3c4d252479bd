/**
 * Bytes → complete lines, on Buffers (no readline: splitting on Buffers with
 * indexOf is several times faster). Tracks each line's byte offset so the
 * caller can checkpoint exactly, caps line length (the rest of an over-long
 * line is skipped, not buffered; the cut never splits a character), and flags
 * lines that are not valid UTF-8.
 */
import { isUtf8 } from 'node:buffer';

/**
 * Where to cut a line of more than `max` bytes (`b` holds at least max + 1 of
 * them): at `max`, or at the start of the character the cap would split.
 */
export function capCut(b: Buffer, start: number, max: number): number {
  let cut = start + max;
  for (let i = 0; i < 3 && cut > start && (b[cut]! & 0xc0) === 0x80; i++) cut--;
  return cut < start + max && b[cut]! >= 0xc0 ? cut - start : max;
}

export interface SplitLine {
  text: string;
  /** Byte offset of the line's first byte in the stream. */
  offset: number;
  /** Byte offset just past the line's newline: where reading resumes. */
  end: number;
  invalidUtf8: boolean;
  /** Set when the line was longer than the cap: its full length in bytes. */
  truncatedBytes: number | null;
}

export type LineSink = (line: SplitLine) => void;

export class LineSplitter {
  /** Bytes of an unfinished line carried over from earlier chunks (at most `maxLine` + 1: one more tells where to cut). */
  private carry: Buffer[] = [];
  private carryLength = 0;
  /** Total length of the unfinished line, including bytes beyond the cap that were dropped. */
  private pendingBytes = 0;
  /** Stream offset of the first byte not yet part of an emitted line. */
  private lineStart: number;

  constructor(
    startOffset: number,
    private readonly maxLine: number,
  ) {
    this.lineStart = startOffset;
  }

  /** Offset of the first byte of the unfinished line (= everything before it has been emitted). */
  get consumed(): number {
    return this.lineStart;
  }

  /** Bytes held for a line that has not ended yet. */
  get pending(): number {
    return this.pendingBytes;
  }

  /** Feeds the next bytes of the stream (`chunk` must directly follow what was fed before). */
  push(chunk: Buffer, sink: LineSink): void {
    let pos = 0;
    const len = chunk.length;
    // Fast check: when the whole chunk is valid UTF-8, no line in it needs its own check.
    const lastNl = chunk.lastIndexOf(10);
    const chunkValid = lastNl < 0 ? true : isUtf8(chunk.subarray(0, lastNl + 1));
    while (pos < len) {
      const nl = chunk.indexOf(10, pos);
      if (nl < 0) {
        this.hold(chunk, pos, len);
        return;
      }
      if (this.pendingBytes > 0) {
        this.hold(chunk, pos, nl);
        const total = this.pendingBytes;
        const buf = this.carry.length === 1 ? this.carry[0]! : Buffer.concat(this.carry, this.carryLength);
        const cut = total > this.maxLine ? capCut(buf, 0, this.maxLine) : buf.length;
        this.emit(buf, 0, cut, total, sink, !isUtf8(buf.subarray(0, cut)));
        this.carry = [];
        this.carryLength = 0;
        this.pendingBytes = 0;
      } else {
        const total = nl - pos;
        const cut = total > this.maxLine ? capCut(chunk, pos, this.maxLine) : total;
        this.emit(chunk, pos, pos + cut, total, sink, !chunkValid && !isUtf8(chunk.subarray(pos, pos + cut)));
      }
      pos = nl + 1;
    }
  }

  /** The stream ended for good (stdin closed): its last line counts even without a newline. */
  end(sink: LineSink): void {
    if (this.pendingBytes === 0) return;
    const buf = Buffer.concat(this.carry, this.carryLength);
    const total = this.pendingBytes;
    this.carry = [];
    this.carryLength = 0;
    this.pendingBytes = 0;
    const cut = total > this.maxLine ? capCut(buf, 0, this.maxLine) : buf.length;
    this.emitAt(buf, 0, cut, total, 0, sink, !isUtf8(buf.subarray(0, cut)));
  }

  private hold(chunk: Buffer, from: number, to: number): void {
    const room = this.maxLine + 1 - this.carryLength;
    const take = Math.min(room, to - from);
    if (take > 0) {
      // Copy: the caller reuses its read buffer.
      this.carry.push(Buffer.from(chunk.subarray(from, from + take)));
      this.carryLength += take;
    }
    this.pendingBytes += to - from;
  }

  private emit(buf: Buffer, start: number, end: number, total: number, sink: LineSink, invalid: boolean): void {
    this.emitAt(buf, start, end, total, 1, sink, invalid);
  }

  private emitAt(buf: Buffer, start: number, end: number, total: number, newline: number, sink: LineSink, invalid: boolean): void {
    const offset = this.lineStart;
    this.lineStart = offset + total + newline;
    let stop = end;
    if (stop > start && buf[stop - 1] === 13 /* \r */ && total === end - start) stop--;
    sink({
      text: buf.toString('utf8', start, stop),
      offset,
      end: this.lineStart,
      invalidUtf8: invalid,
      truncatedBytes: total > this.maxLine ? total : null,
    });
  }
}
