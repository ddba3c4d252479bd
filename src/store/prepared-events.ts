/**
 * A prepared batch (prepared-batch.ts) back as the write batch it was made
 * from, for a store that keeps a row per event rather than blocks: each
 * block's lines are unpacked (block-codec.ts) and decoded with the stream's key and the block's source and
 * container (event-codec.ts), in the order they were read. The lines were
 * redacted when they were encoded, so encoding the decoded events again
 * stores the same text; the request summaries, audit and lifecycle records
 * the block carries are the ones the events give again (model/request.ts).
 */
import type { Event } from '../model/event.js';
import { storedLines } from './block-codec.js';
import { decodeEvent } from './event-codec.js';
import type { PreparedBatch, PreparedStream } from './prepared-batch.js';
import type { StreamBatch, WriteBatch } from './store.js';

/** One stream's part of a prepared batch as the part of a write batch it was made from. */
export function preparedStreamBatch(sb: PreparedStream): StreamBatch {
  return preparedStreamParts(sb).part;
}

/**
 * preparedStreamBatch, and beside it each event's line as the block holds
 * it (encoded and redacted already), in the same order: a store that keeps
 * the encoded line per event stores it as it is instead of encoding again.
 */
export function preparedStreamParts(sb: PreparedStream): { part: StreamBatch; lines: string[] } {
  const events: Event[] = [];
  const lines: string[] = [];
  for (const block of sb.blocks) {
    if (!block.offsets.length) continue;
    const ctx = { streamKey: sb.stream.key, source: block.source, container: block.container };
    for (const line of storedLines(block.packed)) {
      lines.push(line);
      events.push(decodeEvent(line, ctx));
    }
  }
  return { part: { stream: sb.stream, checkpoint: sb.checkpoint, events, unparsed: sb.unparsed }, lines };
}

/** The lines a stream's part offers: its events and its unparsed lines. */
export function preparedLines(sb: PreparedStream): number {
  let n = sb.unparsed.length;
  for (const b of sb.blocks) n += b.offsets.length;
  return n;
}

/** A whole prepared batch as a write batch (its idempotency key kept). */
export function preparedWriteBatch(batch: PreparedBatch): WriteBatch {
  return {
    streams: batch.streams.map(preparedStreamBatch),
    ...(batch.idempotency ? { idempotency: batch.idempotency } : {}),
  };
}
