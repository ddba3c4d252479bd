/**
 * Every rule is linear on any input: for each rule, text built from
 * repetitions of its prefixes, separators and alphabets (and mixtures of
 * them, bench/hostile-text.ts) is redacted at 4 KiB and at 64 KiB, and the
 * time must grow as the size, not as its square (growth k < 1.3 where
 * time ∝ size^k; a rule that rescans to the end from every start gives
 * k ≈ 2). The measuring is the bench's (bench/redact-bench.ts): CPU time of
 * this process, 4 KiB timed as sixteen copies, medians of rounds.
 */
import { describe, expect, it } from 'vitest';
import { HOSTILE_UNITS } from '../../bench/hostile-text.js';
import { LINEAR_EXPONENT, growth } from '../../bench/redact-bench.js';

describe('redaction is linear on hostile text', () => {
  it.each(HOSTILE_UNITS.map((u) => [u.name, u] as const))('%s', (_name, unit) => {
    const r = growth(unit, { rounds: 3, roundMs: 10, attempts: 3, middle: false });
    expect({ ...r, linear: r.exponent < LINEAR_EXPONENT }).toMatchObject({ linear: true });
  });
});
