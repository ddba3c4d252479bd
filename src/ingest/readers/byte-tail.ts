/**
 * The bytes just before a checkpoint, as they were read. A checkpoint's tail
 * digest (file-identity.ts) must describe what the ingest consumed, not the
 * file at commit time: a log copied and truncated, then written again,
 * between a read and its commit would otherwise lend the old stream the new
 * content's digest. Fed every chunk as it is read (chunks are read into
 * reused buffers, so what is kept is copied), it remembers the last
 * TAIL_BYTES bytes overall and those before one chosen offset of the latest
 * chunk.
 */
import { digestTail, TAIL_BYTES } from './file-identity.js';

export class ByteTail {
  /** The last TAIL_BYTES bytes read (fewer near the start), ending at `end`. */
  private recent = Buffer.alloc(0);
  /** The bytes before `markAt`, when a chunk held that offset. */
  private marked: Buffer | null = null;
  private markAt = -1;

  /** `start`: the stream offset the first chunk begins at. */
  constructor(private end: number) {}

  /**
   * Takes the next chunk (it starts where the previous one ended) and keeps
   * the bytes before `mark`, an offset within it or at its end, for a checkpoint there.
   */
  push(chunk: Buffer, mark: number): void {
    const start = this.end;
    const k = mark - start;
    if (k >= 0 && k <= chunk.length) {
      this.marked = k >= TAIL_BYTES ? Buffer.from(chunk.subarray(k - TAIL_BYTES, k)) : Buffer.concat([this.recent.subarray(Math.max(0, this.recent.length - (TAIL_BYTES - k))), chunk.subarray(0, k)]);
      this.markAt = mark;
    }
    this.recent = chunk.length >= TAIL_BYTES ? Buffer.from(chunk.subarray(chunk.length - TAIL_BYTES)) : Buffer.concat([this.recent, chunk]).subarray(-TAIL_BYTES);
    this.end = start + chunk.length;
  }

  /** The digest of the bytes read before `offset`, or null when they were not kept (or there are none). */
  digestAt(offset: number): string | null {
    const bytes = offset === this.markAt ? this.marked : offset === this.end ? this.recent : null;
    if (!bytes || bytes.length === 0 || bytes.length < Math.min(TAIL_BYTES, offset)) return null;
    return digestTail(bytes);
  }
}
