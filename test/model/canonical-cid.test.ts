/** A correlation id is 16 hex digits, kept lower-case: read char by char, it must take exactly what that pattern takes. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalCid } from '../../src/model/event.js';

const CID = /^[0-9a-fA-F]{16}$/;

describe('canonicalCid', () => {
  it('takes 16 hex digits of either case, lower-cased, and nothing else', () => {
    expect(canonicalCid('d16b0ca67165ef4d')).toBe('d16b0ca67165ef4d');
    expect(canonicalCid('D16B0CA67165EF4D')).toBe('d16b0ca67165ef4d');
    for (const bad of ['d16b0ca67165ef4', 'd16b0ca67165ef4d0', 'd16b0ca67165ef4g', 'd16b0ca67165ef4\n', ' 16b0ca67165ef4d', 'd16b0ca67165ef4Ｄ', '']) expect(canonicalCid(bad), JSON.stringify(bad)).toBeNull();
    for (const other of [null, undefined, 1234567890123456, ['d16b0ca67165ef4d'], { id: 'd16b0ca67165ef4d' }]) expect(canonicalCid(other)).toBeNull();
  });

  it('agrees with the pattern on strings near a correlation id', () => {
    const near = fc.array(fc.constantFrom(...'0123456789abcdefABCDEFgGzZ/:@`{ \u00e9\u0660'), { minLength: 14, maxLength: 18 }).map((a) => a.join(''));
    fc.assert(
      fc.property(fc.oneof(near, fc.string()), (s) => {
        expect(canonicalCid(s)).toBe(CID.test(s) ? s.toLowerCase() : null);
      }),
      { numRuns: 5000 },
    );
  });
});
