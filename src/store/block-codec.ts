/**
 * The stored form of a block's lines: the encoded lines (event-codec.ts),
 * joined by newlines, compressed with raw deflate at level 1 against a
 * preset dictionary of the fragments those lines repeat (block-dictionary.ts),
 * behind one byte naming that codec. A block's summary (summary-codec.ts) is
 * packed the same way. Packing runs where blocks are prepared (parser threads
 * on bulk ingest); readers unpack a block, then decode only the lines they
 * need.
 *
 * A block written before blocks were packed holds its lines as TEXT, which
 * the driver returns as a string: that is read as it is. A packed block is a
 * BLOB whose first byte is a codec number, never `{`, the byte every encoded
 * line begins with; a number this version does not know is refused rather
 * than misread.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { StoreError } from './store.js';
import { BLOCK_DICTIONARY } from './block-dictionary.js';
import { isNotable, mayBeNotable, peekEncoded } from './event-codec.js';
import type { Event } from '../model/event.js';
import type { ContextFilter } from './store-types.js';

/** Codec 1: raw deflate against BLOCK_DICTIONARY. A new dictionary or codec takes a new number; the old ones stay readable. */
export const DEFLATE_DICT_1 = 1;

/**
 * Chosen by measurement on the bench corpus (README, "Choices"): level 6 packs
 * a fifth smaller than level 1 but takes about three times its CPU, and
 * packing runs on the parser threads that ingest is short of.
 */
const LEVEL = 1;

const DICTIONARY = Buffer.from(BLOCK_DICTIONARY, 'utf8');
const OPTIONS = { level: LEVEL, dictionary: DICTIONARY };

/** A block's lines as a blocks row holds them: a string (written before packing) or the packed bytes. */
export type StoredLines = string | Uint8Array;

/**
 * The lines packed: the codec's byte, then the deflated bytes, in a buffer of
 * exactly that length (a view into zlib's larger output buffer would carry
 * the rest of it through structured clone to the writing thread).
 */
export function packLines(data: string): Uint8Array {
  const body = deflateRawSync(data, OPTIONS);
  const out = new Uint8Array(body.length + 1);
  out[0] = DEFLATE_DICT_1;
  out.set(body, 1);
  return out;
}

/** The lines of a block as stored, joined by newlines. */
export function unpackLines(stored: StoredLines): string {
  if (typeof stored === 'string') return stored;
  const codec = stored[0];
  if (codec === DEFLATE_DICT_1) {
    try {
      return inflateRawSync(stored.subarray(1), { dictionary: DICTIONARY }).toString('utf8');
    } catch (e) {
      throw new StoreError(`a stored block does not inflate (${(e as Error).message})`, 'corrupt', { cause: e });
    }
  }
  throw new StoreError(`a stored block has codec ${String(codec)}, which this version cannot read`, 'corrupt');
}

/** The encoded lines of a block as stored, in offset order. */
export function storedLines(stored: StoredLines): string[] {
  return unpackLines(stored).split('\n');
}

/**
 * The lines of a block inside a window (and notable, when asked), decoded:
 * most lines of a block are outside it or not notable, so their time and
 * level are peeked first and only the rest pay for decoding. Both stores'
 * container windows read blocks this way.
 */
export function windowEvents(stored: StoredLines, f: Pick<ContextFilter, 'from' | 'to' | 'notable'>, decode: (line: string) => Event): Event[] {
  const out: Event[] = [];
  for (const line of storedLines(stored)) {
    const peek = peekEncoded(line);
    if (peek && (peek.time < f.from || peek.time > f.to || (f.notable && !mayBeNotable(line, peek.level)))) continue;
    const e = decode(line);
    if (e.time < f.from || e.time > f.to) continue;
    if (f.notable && !isNotable(e)) continue;
    out.push(e);
  }
  return out;
}
