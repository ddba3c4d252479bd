/**
 * The part of a prepared stream a store has not stored yet, shared by the
 * stores that keep blocks: a re-read that overlaps the checkpoint offers
 * lines already stored, which write-rules.ts's freshFilter names.
 */
import { storedLines } from './block-codec.js';
import { decodeEvent } from './event-codec.js';
import { prepareBlocks, type PreparedBlock, type PreparedStream } from './prepared-batch.js';
import type { Redactor } from '../redact/redactor.js';

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
