/**
 * The pre-check (MAY_HOLD_SECRET / mayHoldSecret) lets a line skip the
 * structured walk at ingest, so it must be a superset of every rule: a line
 * it clears must be one the rules leave unchanged, whatever hides the words
 * (percent-encoded letters, `\u` escapes, double encoding).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_REDACTOR } from '../../src/redact/redactor.js';
import { MAY_HOLD_SECRET } from '../../src/redact/secret-patterns.js';
import { ENCODINGS, filler, partlyPercent, secretClass } from '../fixtures/secret-classes.js';

const applyRules = (t: string) => DEFAULT_REDACTOR.applyRules(t);

const escapeSome = (s: string, from: number, to: number, how: number) => {
  const mid = [...s.slice(from, to)]
    .map((c) => (how === 0 ? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}` : how === 1 ? `%${c.charCodeAt(0).toString(16).padStart(2, '0')}` : `%25${c.charCodeAt(0).toString(16).padStart(2, '0')}`))
    .join('');
  return s.slice(0, from) + mid + s.slice(to);
};

/** A secret-bearing text, then a random part of it encoded one way or another. */
const disguised = fc.tuple(secretClass, fc.nat(), fc.nat(), fc.integer({ min: 0, max: 3 + ENCODINGS.length })).map(([p, a, b, how]) => {
  const [from, to] = [a % (p.text.length + 1), b % (p.text.length + 1)].sort((x, y) => x - y) as [number, number];
  if (how < 3) return escapeSome(p.text, from, to, how);
  if (how === 3) return partlyPercent(p.text, from, to);
  return ENCODINGS[how - 4]!.encode(p.text);
});

const piece = fc.oneof(
  filler,
  disguised,
  fc.constantFrom('%', '%4', '%7', '\\', '\\u00', '://', '@', '?', '&', '=', ':', '"', ' ', '\t', 'key', 'Key', '-', '_', 'eyJ', '.'),
);

describe('the pre-check is a superset of every rule', () => {
  it('a line it clears is a line the rules leave as it is', () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 8 }), (parts) => {
        const text = parts.join('');
        if (MAY_HOLD_SECRET.test(text)) return true;
        expect({ text, out: applyRules(text) }).toEqual({ text, out: text });
        return true;
      }),
      { numRuns: 5000 },
    );
  });

  it('it clears ordinary lines: plain words, URLs, %20, escaped quotes and newlines', () => {
    for (const t of ['GET /v1/woks/alpha 200 12ms', 'https://example.com/a%20b?page=2', '{"msg":"said \\"hi\\"\\nthen left"}', 'relation "x" does not exist']) {
      expect([t, MAY_HOLD_SECRET.test(t)]).toEqual([t, false]);
    }
  });
});

describe('redacting twice changes nothing more, encodings and fragments mixed', () => {
  it('holds for any mixture', () => {
    const frag = fc.oneof(piece, fc.constantFrom('Bearer ', 'Basic ', 'password', '=', ': ', '--token ', 'skl_', 'sdo_', 'ghp_', '[REDACTED]', '…', '%22', '%3A', '%3D', '%20', '\\"', "'", 'realm="x"', 'Cookie: ', 'PASSWORD ', '://u:p@'));
    fc.assert(
      fc.property(fc.array(frag, { maxLength: 14 }), (parts) => {
        const once = applyRules(parts.join(''));
        expect({ once, twice: applyRules(once) }).toEqual({ once, twice: once });
      }),
      { numRuns: 3000 },
    );
  });
});
