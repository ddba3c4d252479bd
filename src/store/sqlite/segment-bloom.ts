/**
 * A Bloom filter per cid-index segment, stored with the segment. A lookup
 * tests each segment's filter in memory and probes only the segments that may
 * hold the id (about 1% false positives), instead of every segment's B-tree:
 * the lookup cost stops growing with the number of segments.
 *
 * Correlation ids are 64 random bits in hex, so their two halves serve
 * directly as the two base hashes (double hashing); nothing is computed but
 * two parseInts per id.
 */

const BITS_PER_ENTRY = 10;
const HASHES = 7;

function halves(cid: string): [number, number] {
  return [Number.parseInt(cid.slice(0, 8), 16) >>> 0, (Number.parseInt(cid.slice(8, 16), 16) | 1) >>> 0];
}

export function buildBloom(cids: Iterable<string>, count: number): Buffer {
  const bytes = Math.max(8, Math.ceil((count * BITS_PER_ENTRY) / 8));
  const bits = Buffer.alloc(bytes);
  const m = bytes * 8;
  for (const cid of cids) {
    const [h1, h2] = halves(cid);
    for (let i = 0; i < HASHES; i++) {
      const b = ((h1 + Math.imul(i, h2)) >>> 0) % m;
      bits[b >>> 3]! |= 1 << (b & 7);
    }
  }
  return bits;
}

/** The same filter as buildBloom, from ids already read as their two 32-bit halves (hi[i], lo[i]: the first and last 8 hex digits). */
export function bloomOfHalves(hi: Uint32Array, lo: Uint32Array): Buffer {
  const bytes = Math.max(8, Math.ceil((hi.length * BITS_PER_ENTRY) / 8));
  const bits = Buffer.alloc(bytes);
  const m = bytes * 8;
  for (let j = 0; j < hi.length; j++) {
    const h1 = hi[j]!;
    const h2 = (lo[j]! | 1) >>> 0;
    for (let i = 0; i < HASHES; i++) {
      const b = ((h1 + Math.imul(i, h2)) >>> 0) % m;
      bits[b >>> 3]! |= 1 << (b & 7);
    }
  }
  return bits;
}

/** False only when the segment surely does not hold the id. */
export function mayContain(bloom: Uint8Array, cid: string): boolean {
  const m = bloom.length * 8;
  const [h1, h2] = halves(cid);
  for (let i = 0; i < HASHES; i++) {
    const b = ((h1 + Math.imul(i, h2)) >>> 0) % m;
    if ((bloom[b >>> 3]! & (1 << (b & 7))) === 0) return false;
  }
  return true;
}
