/** The per-segment Bloom filter: never a false negative; few false positives. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildBloom, mayContain } from '../../src/store/sqlite/segment-bloom.js';

const cid = fc.stringMatching(/^[0-9a-f]{16}$/);

describe('segment Bloom filter', () => {
  it('holds every id it was built from', () => {
    fc.assert(
      fc.property(fc.array(cid, { maxLength: 300 }), (ids) => {
        const bloom = buildBloom(ids, ids.length);
        return ids.every((id) => mayContain(bloom, id));
      }),
      { numRuns: 300 },
    );
  });

  it('turns away nearly every other id (about 1% false positives at 10 bits an id)', () => {
    const ids = fc.sample(cid, { numRuns: 20_000, seed: 1 });
    const others = fc.sample(cid, { numRuns: 20_000, seed: 2 }).filter((x) => !ids.includes(x));
    const bloom = buildBloom(ids, ids.length);
    const fp = others.filter((x) => mayContain(bloom, x)).length / others.length;
    expect(fp).toBeLessThan(0.03);
  });
});
