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
import { encodedCid, isNotable, mayBeNotable, peekEncoded } from './event-codec.js';
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
  return typeof stored === 'string' ? stored : unpackBytes(stored).toString('utf8');
}

/** A packed block's lines as UTF-8 bytes, joined by newlines. */
function unpackBytes(stored: Uint8Array): Buffer {
  const codec = stored[0];
  if (codec === DEFLATE_DICT_1) {
    try {
      return inflateRawSync(stored.subarray(1), { dictionary: DICTIONARY });
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

/** Up to this many ids are searched for in a block's bytes (linesWithCids); more are read line by line. */
const SEARCHED_IDS = 4;
const NEWLINE = 0x0a;

/**
 * The encoded lines of a block whose correlation id (as encodedCid reads it)
 * is one of `cids`, in offset order. For a few ids the unpacked bytes are
 * searched for `,"c":"<id>"`, which every such line holds, and only the lines
 * holding it become strings: a ticket wants a few lines of each of its
 * blocks, and turning a whole block into a string to split it cost about as
 * much as inflating it. Both stores read a ticket's blocks this way.
 */
export function linesWithCids(stored: StoredLines, cids: ReadonlySet<string>): string[] {
  const named = (line: string) => {
    const c = encodedCid(line);
    return c !== null && cids.has(c);
  };
  if (typeof stored === 'string' || cids.size > SEARCHED_IDS) return storedLines(stored).filter(named);
  const bytes = unpackBytes(stored);
  const starts = new Set<number>();
  for (const cid of cids) {
    const needle = Buffer.from(`,"c":"${cid}"`, 'utf8');
    for (let at = bytes.indexOf(needle); at >= 0; at = bytes.indexOf(needle, at + needle.length)) starts.add(bytes.lastIndexOf(NEWLINE, at) + 1);
  }
  const out: string[] = [];
  for (const start of [...starts].sort((a, b) => a - b)) {
    const end = bytes.indexOf(NEWLINE, start);
    const line = bytes.toString('utf8', start, end < 0 ? bytes.length : end);
    if (named(line)) out.push(line);
  }
  return out;
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
