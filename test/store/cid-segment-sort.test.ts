/** A cid-index segment's entries sorted as numbers: the same order and the same Bloom filter as sorting their text. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sortForSegment } from '../../src/store/sqlite/cid-segment-sort.js';
import { buildBloom } from '../../src/store/sqlite/segment-bloom.js';

type Entry = [string, number];

const canonical = fc.stringMatching(/^[0-9a-f]{16}$/);
/** Ids of a batch repeat across its blocks: draw from a few, so runs of one id in several blocks are common. */
const entries = (id: fc.Arbitrary<string>) =>
  fc.array(id, { minLength: 1, maxLength: 12 }).chain((ids) => fc.array(fc.tuple(fc.constantFrom(...ids), fc.integer({ min: 1, max: 2 ** 31 })), { maxLength: 200 }));

function byText(list: Entry[]): Entry[] {
  return [...list].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1]));
}

describe('sorting a cid-index segment', () => {
  it('orders canonical ids by their two halves exactly as by their text, then by block, and builds the same filter', () => {
    fc.assert(
      fc.property(entries(canonical), (list) => {
        const got: Entry[] = list.map((e) => [...e] as Entry);
        const bloom = sortForSegment(got);
        expect(got).toEqual(byText(list));
        expect(bloom.equals(buildBloom(list.map((e) => e[0]), list.length))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('orders ids that differ only in their high bits, the last hex digit, or the block', () => {
    const list: Entry[] = [
      ['ffffffff00000000', 1],
      ['0000000000000001', 9],
      ['7fffffffffffffff', 2],
      ['8000000000000000', 2],
      ['0000000000000001', 3],
      ['000000000000000a', 1],
    ];
    const got = list.map((e) => [...e] as Entry);
    sortForSegment(got);
    expect(got).toEqual(byText(list));
  });

  it('orders a batch-sized segment (tens of thousands of entries, ids repeated across blocks) as by its text', () => {
    // Drawn from a seeded generator: random 64-bit ids, a tenth of them seen again in a later block.
    let x = 0x9e3779b9;
    const next = () => ((x = (Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0), x);
    const hex = (v: number) => v.toString(16).padStart(8, '0');
    const list: Entry[] = [];
    for (let i = 0; i < 30_000; i++) {
      const again = i > 0 && next() % 10 === 0 ? list[next() % list.length]![0] : null;
      list.push([again ?? hex(next()) + hex(next()), 1 + Math.floor(i / 300)]);
    }
    const got = list.map((e) => [...e] as Entry);
    const bloom = sortForSegment(got);
    const want = byText(list);
    // The first position out of order (-1: none), rather than a diff of 30 000 entries.
    expect(got.findIndex((e, i) => e[0] !== want[i]![0] || e[1] !== want[i]![1])).toBe(-1);
    expect(got).toHaveLength(want.length);
    expect(bloom.equals(buildBloom(list.map((e) => e[0]), list.length))).toBe(true);
  });

  it('falls back to the text for an id that is not canonical', () => {
    const odd = fc.oneof(canonical, fc.constantFrom('ABCDEF0123456789', 'short', 'z'.repeat(16), '0123456789abcdef0'));
    fc.assert(
      fc.property(entries(odd), (list) => {
        const got: Entry[] = list.map((e) => [...e] as Entry);
        sortForSegment(got);
        expect(got).toEqual(byText(list));
      }),
      { numRuns: 200 },
    );
  });
});
