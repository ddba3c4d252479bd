/**
 * Whole classes of secrets, under every encoding a log line puts them in,
 * wherever they stand in random text: none of the secret's body survives
 * redactText, nor redactJson on a pino line's object or its text.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Json } from '../../src/model/event.js';
import { DEFAULT_REDACTOR } from '../../src/redact/redactor.js';
import { ENCODINGS, bodyForms, filler, gluedLetters, partlyPercent, secretClass } from '../fixtures/secret-classes.js';

const redactText = (t: string) => DEFAULT_REDACTOR.text(t);
const redactJson = (v: Json) => DEFAULT_REDACTOR.json(v);

/** The first form of the body found in `out`, or null. */
function survivor(out: string, body: string): string | null {
  return bodyForms(body).find((f) => out.includes(f)) ?? null;
}

const encoded = fc.oneof(
  fc.tuple(secretClass, fc.integer({ min: 0, max: ENCODINGS.length - 1 })).map(([p, i]) => ({ p, how: ENCODINGS[i]!.name, text: ENCODINGS[i]!.encode(p.text) })),
  fc.tuple(secretClass, fc.nat(), fc.nat()).map(([p, a, b]) => {
    const [from, to] = [a % (p.text.length + 1), b % (p.text.length + 1)].sort((x, y) => x - y) as [number, number];
    return { p, how: `percent ${from}..${to}`, text: partlyPercent(p.text, from, to) };
  }),
);

describe('every class, every encoding', () => {
  it('no byte of the secret survives redactText, glued to letters or not, in random text', () => {
    fc.assert(
      fc.property(encoded, gluedLetters, filler, filler, ({ p, how, text }, glue, before, after) => {
        fc.pre(survivor(before + after, p.body) === null);
        const out = redactText(`${before} ${glue}${text} ${after}`);
        const left = survivor(out, p.body);
        if (left !== null) expect({ kind: p.kind, how, text, out, left }).toBeNull();
        return redactText(out) === out;
      }),
      { numRuns: 3000 },
    );
  });

  it('inside a pino line: as the message, and as text in a field, through redactJson and through redactText of the line', () => {
    fc.assert(
      fc.property(encoded, filler, fc.boolean(), ({ p, how, text }, before, inField) => {
        fc.pre(survivor(before, p.body) === null);
        const msg = `${before} ${text}`;
        const obj = inField ? { level: 50, msg: 'request failed', req: { url: '/x', body: msg } } : { level: 30, msg };
        const line = JSON.stringify(obj);
        for (const out of [JSON.stringify(redactJson(obj as Json)), redactText(line)]) {
          const left = survivor(out, p.body);
          if (left !== null) expect({ kind: p.kind, how, line, out, left }).toBeNull();
        }
      }),
      { numRuns: 1500 },
    );
  });
});
