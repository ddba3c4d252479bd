/**
 * The order of a cid-index segment's entries (cid, then block), computed on
 * the numbers the ids are rather than their text, with the segment's Bloom
 * filter from the same numbers (cid-index.ts writes the entries in this order).
 */
import { bloomOfHalves, buildBloom } from './segment-bloom.js';

/** The value of each lower-case hex digit by its char code, -1 for anything else. */
const HEX = new Int8Array(128).fill(-1);
for (let c = 0; c < 16; c++) HEX['0123456789abcdef'.charCodeAt(c)] = c;

/** Eight lower-case hex digits of `s` from `at` as a number, or -1 when they are not that. */
function hex8(s: string, at: number): number {
  let v = 0;
  for (let i = at; i < at + 8; i++) {
    const c = s.charCodeAt(i);
    const d = c < 128 ? HEX[c]! : -1;
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v;
}

const RADIX_BITS = 11;
const RADIX = 1 << RADIX_BITS;

/**
 * The indices of `hi` ordered by value, equal values in index order: a
 * least-significant-digit radix sort in three passes of 11 bits (measured:
 * several times faster than sorting (value, index) keys in a Float64Array).
 */
function orderByValue(hi: Uint32Array): Uint32Array {
  const n = hi.length;
  const counts = new Uint32Array(3 * RADIX);
  for (let i = 0; i < n; i++) {
    const h = hi[i]!;
    counts[h & (RADIX - 1)]!++;
    counts[RADIX + ((h >>> RADIX_BITS) & (RADIX - 1))]!++;
    counts[2 * RADIX + (h >>> (2 * RADIX_BITS))]!++;
  }
  let from = new Uint32Array(n);
  let to = new Uint32Array(n);
  for (let i = 0; i < n; i++) from[i] = i;
  for (let pass = 0; pass < 3; pass++) {
    const base = pass * RADIX;
    const shift = pass * RADIX_BITS;
    let sum = 0;
    for (let b = base; b < base + RADIX; b++) {
      const c = counts[b]!;
      counts[b] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const j = from[i]!;
      to[counts[base + ((hi[j]! >>> shift) & (RADIX - 1))]!++] = j;
    }
    [from, to] = [to, from];
  }
  return from;
}

/**
 * Sorts a segment's [cid, block] entries by cid, then block, in place, and
 * returns the segment's Bloom filter. Canonical ids (16 lower-case hex, all
 * that ingest stores) are read once as two 32-bit halves, for the sort and the
 * filter alike: the entries are ordered by their high half (orderByValue),
 * then runs of one high half by their low half and block — the order their
 * text gives (measured: comparing the strings was a fifth of the segment's
 * cost on the writing thread). Anything else is compared as text.
 */
export function sortForSegment(entries: [string, number][]): Buffer {
  const n = entries.length;
  const hi = new Uint32Array(n);
  const lo = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const cid = entries[i]![0];
    const h = cid.length === 16 ? hex8(cid, 0) : -1;
    const l = h < 0 ? -1 : hex8(cid, 8);
    if (l < 0) {
      entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1]));
      return buildBloom(entries.map((e) => e[0]), n);
    }
    hi[i] = h;
    lo[i] = l;
  }
  const order = orderByValue(hi);
  // Ids sharing a high half (the same id in several blocks, or a rare collision): ordered by low half, then block.
  for (let a = 0; a < n; ) {
    let b = a + 1;
    while (b < n && hi[order[b]!] === hi[order[a]!]) b++;
    if (b - a > 1) order.subarray(a, b).sort((x, y) => lo[x]! - lo[y]! || entries[x]![1] - entries[y]![1]);
    a = b;
  }
  const was = entries.slice();
  for (let i = 0; i < n; i++) entries[i] = was[order[i]!]!;
  return bloomOfHalves(hi, lo);
}
