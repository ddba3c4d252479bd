/**
 * Credentials found by their shape, in one pass over a view: one regular
 * expression of literal prefixes finds where each could start, wherever it
 * stands (glued to the word before it or not); the body after the prefix is
 * measured as a run of its alphabet, and the run's end is remembered, so a
 * long run full of prefixes (`skl_skl_…`, `eyJ-eyJ-…`) is read once.
 *
 * - `skl_` / `sllm_` + more than 8 key characters: cut to the key stub.
 * - `sdo_` + anything: `sdo_…`.
 * - `eyJ…` three base64url segments (a JSON Web Token): `[REDACTED]`.
 * - `AKIA` / `ASIA` + 16 or more of [0-9A-Z] (an AWS access key id): `[REDACTED]`.
 * - the vendor shapes of token-shapes.ts: prefix + `[REDACTED]`.
 */
import type { View } from './normalised-view.js';
import { REDACTED } from './secret-patterns.js';
import { Rank, RunEnds, type Spans, isAlnum, isWordChar } from './spans.js';
import { keyStub } from './stubs.js';
import { SHAPE_PREFIXES, shapeOf } from './token-shapes.js';

const HITS = new RegExp(`${SHAPE_PREFIXES}|sllm_|skl_|sdo_|eyJ|AKIA|ASIA`, 'g');

/** The least a JWT's first two segments hold (`eyJ` + 5, and 5). */
const JWT_MIN_SEGMENT = 8;
const JWT_MIN_PAYLOAD = 5;

function isUpperAlnum(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 48 && c <= 57);
}

export function scanTokens(view: View, spans: Spans): void {
  const t = view.text;
  const word = new RunEnds(t, isWordChar);
  const alnum = new RunEnds(t, isAlnum);
  const upper = new RunEnds(t, isUpperAlnum);
  const payload = new RunEnds(t, isWordChar);
  const signature = new RunEnds(t, isWordChar);
  // A JWT that failed from one `eyJ` fails from every later one in the same run: its first segment ends at the same place.
  let jwtFailedBefore = -1;
  // Key prefixes inside a key already found are part of it.
  let keyRunEnd = -1;
  const re = new RegExp(HITS.source, 'g');
  for (let m = re.exec(t); m; m = re.exec(t)) {
    const p = m.index;
    const prefix = m[0];
    const body = p + prefix.length;
    let end = -1;
    let replacement = REDACTED;
    let rank: Rank = Rank.Plain;
    if (prefix === 'skl_' || prefix === 'sllm_' || prefix === 'sdo_') {
      if (p < keyRunEnd) continue;
      const e = word.end(body);
      const kind = prefix.slice(0, -1);
      if (e - body > 8 || (kind === 'sdo' && e > body)) [end, replacement, rank] = [e, keyStub(kind, t.slice(body, e)), Rank.Stub];
      // A stub an earlier pass left (`skl_sdo_Bear…`): what its 8 characters hold is no key of its own.
      else if (t.charCodeAt(e) === 0x2026) re.lastIndex = e;
    } else if (prefix === 'eyJ') {
      if (p < jwtFailedBefore) continue;
      const e1 = word.end(body);
      end = e1 - p >= JWT_MIN_SEGMENT && t.charCodeAt(e1) === 46 ? jwtEnd(t, e1 + 1, payload, signature) : -1;
      if (end < 0) jwtFailedBefore = e1;
    } else if (prefix === 'AKIA' || prefix === 'ASIA') {
      const e = upper.end(body);
      if (e - body >= 16) end = e;
    } else {
      const shape = shapeOf(prefix)!;
      const e = (shape.body === 'alnum' ? alnum : word).end(body);
      if (e - body >= shape.min) [end, replacement, rank] = [e, `${prefix}${REDACTED}`, Rank.Shape];
    }
    if (end < 0) continue;
    spans.add(view, p, end, replacement, rank);
    // After a key the search goes on inside it: a JWT or token glued on (`skl_…eyJ….….`) may run on past its end.
    if (rank === Rank.Stub) [keyRunEnd, re.lastIndex] = [end, body];
    else re.lastIndex = end;
  }
}

/** Where a JWT whose payload starts at `p` ends (after its signature), or -1 when there is no payload and second dot. */
function jwtEnd(t: string, p: number, payload: RunEnds, signature: RunEnds): number {
  const e2 = payload.end(p);
  if (e2 - p < JWT_MIN_PAYLOAD || t.charCodeAt(e2) !== 46) return -1;
  return signature.end(e2 + 1);
}
