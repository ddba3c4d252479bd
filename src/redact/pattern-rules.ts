/**
 * The rules that stay regular expressions, run over a view: passwords in
 * URLs, short secret query parameters, SQL `PASSWORD '…'`, PEM private key
 * bodies, and the configured extra patterns (DIAG_REDACT_PATTERNS), each
 * match of which goes whole. Each of ours is linear on any input: quantifiers
 * next to each other never overlap without a bound, and each hangs on a
 * literal (`://`, `?key=`, `PASSWORD '`, `-----BEGIN`) that ends the scan of
 * the one before it.
 */
import type { View } from './normalised-view.js';
import { REDACTED } from './secret-patterns.js';
import type { Spans } from './spans.js';
import { Rank } from './spans.js';
import { isRedacted } from './stubs.js';

/** `scheme://user:password@host`: the password runs to the last `@` before the path. */
const URL_USERINFO = /\b([a-z][a-z0-9+.-]{0,30}:\/\/[^/\s:@]{0,256}):([^\s/]*)@/gi;

/** Query parameters whose short names are secrets by convention (`?key=`, `?sig=`, `?auth=`). */
const SECRET_QUERY = /([?&](?:key|sig|auth)=)([^&#\s"'<>]+)/gi;

/** SQL: `PASSWORD 'x'` (CREATE / ALTER ROLE … PASSWORD …). */
const SQL_PASSWORD = /\b(PASSWORD)\s{1,8}('(?:[^']|''){0,4096}')/gi;

/** The body of a PEM private key (its BEGIN line is kept, so a reader knows what was there). */
const PEM_PRIVATE_KEY = /(-----BEGIN [A-Z ]{0,24}PRIVATE KEY-----)[A-Za-z0-9+/=\s\\]*/g;

/** Every match of `re` in `text`, with the offset of its first group's end (or of the match's start). */
function* matches(re: RegExp, text: string): Generator<{ at: number; m: RegExpExecArray }> {
  const r = new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`);
  for (let m = r.exec(text); m; m = r.exec(text)) {
    if (m[0] === '') r.lastIndex++;
    yield { at: m.index, m };
  }
}

export function scanPatterns(view: View, spans: Spans, extra: readonly RegExp[]): void {
  const t = view.text;
  if (t.includes('://')) {
    for (const { at, m } of matches(URL_USERINFO, t)) {
      const start = at + m[1]!.length + 1;
      const end = at + m[0].length - 1;
      if (!isRedacted(t.slice(start, end))) spans.add(view, start, end);
    }
  }
  for (const { at, m } of matches(SECRET_QUERY, t)) {
    if (!isRedacted(m[2]!)) spans.add(view, at + m[1]!.length, at + m[0].length);
  }
  for (const { at, m } of matches(SQL_PASSWORD, t)) {
    // `PASSWORD 'x'` becomes `PASSWORD [REDACTED]`: the quotes go with the value.
    spans.add(view, at + m[1]!.length, at + m[0].length, ` ${REDACTED}`, Rank.Plain);
  }
  for (const { at, m } of matches(PEM_PRIVATE_KEY, t)) {
    spans.add(view, at + m[1]!.length, at + m[0].length);
  }
  for (const re of extra) {
    for (const { at, m } of matches(re, t)) spans.add(view, at, at + m[0].length);
  }
}
