/**
 * Redaction on hostile text: redactText on strings of up to 64 KiB (the most
 * it looks at) built to make regular expressions backtrack: long runs of key
 * characters, repeated secret words, schemes without their end. Each input is
 * timed at 4, 16 and 64 KiB and the growth fitted as time ∝ size^k: k ≈ 1 is
 * linear, k ≈ 2 a pattern that backtracks over the text.
 */
import { MAX_REDACT_TEXT, redactText } from '../src/redact/redact.js';

export interface RedactCase {
  name: string;
  /** Per call, ms, at 4, 16 and 64 KiB. */
  ms4k: number;
  ms16k: number;
  ms64k: number;
  /** The exponent k of time ∝ size^k from 4 to 64 KiB: 1 is linear. */
  exponent: number;
}

/** Above this exponent the growth is called superlinear. */
export const LINEAR_EXPONENT = 1.3;

const fill = (unit: string, size: number, head = '') => (head + unit.repeat(Math.ceil(size / unit.length))).slice(0, size);

export const HOSTILE: [string, (size: number) => string][] = [
  ['tokentoken…', (n) => fill('token', n)],
  ['a-a-a-…', (n) => fill('a-', n)],
  ['aaaa… (one word)', (n) => fill('a', n)],
  ['Bearer Bearer …', (n) => fill('Bearer ', n)],
  ['Bearer + one long credential', (n) => fill('x', n, 'Authorization: Bearer ')],
  ['skl_skl_skl_…', (n) => fill('skl_', n)],
  ['skl_ + one long key', (n) => fill('A', n, 'skl_')],
  ['password=password=…', (n) => fill('password=', n)],
  ['"secret": "\\"\\"…', (n) => fill('\\"', n, '"secret": "')],
  ['scheme://user: no @', (n) => fill('p', n, 'postgres://user:')],
  ['x://x://x://…', (n) => fill('x://', n)],
  ['eyJ.eyJ.…', (n) => fill('eyJabcde.', n)],
  ['PEM BEGIN, no END', (n) => fill('MIIEvQIBADANBgkqhkiG9w0BAQEFAASC ', n, '-----BEGIN PRIVATE KEY-----\n')],
  ["PASSWORD '''…", (n) => fill("''", n, "ALTER ROLE x PASSWORD '")],
  ['cookie=cookie=…', (n) => fill('cookie=', n)],
  ['?key=&key=…', (n) => fill('&key=', n, '?')],
  ['AKIAAKIA…', (n) => fill('AKIA', n)],
  ['secret words, spaced', (n) => fill('api_key access-key session_id ', n)],
];

/** Median time per call (ms) over enough calls to last about `budgetMs`. */
function perCall(text: string, budgetMs: number): number {
  redactText(text);
  const times: number[] = [];
  const start = performance.now();
  while (times.length < 5 || (performance.now() - start < budgetMs && times.length < 500)) {
    const t0 = performance.now();
    redactText(text);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[times.length >> 1]!;
}

export function benchRedaction(budgetMs = 150): RedactCase[] {
  return HOSTILE.map(([name, make]) => {
    const ms4k = perCall(make(MAX_REDACT_TEXT / 16), budgetMs);
    const ms16k = perCall(make(MAX_REDACT_TEXT / 4), budgetMs);
    const ms64k = perCall(make(MAX_REDACT_TEXT), budgetMs);
    return { name, ms4k, ms16k, ms64k, exponent: Math.log(ms64k / ms4k) / Math.log(16) };
  });
}
