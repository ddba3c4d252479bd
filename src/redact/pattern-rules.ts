/**
 * The rules that stay regular expressions, each linear on any input (see
 * secret-patterns.ts), run over a view: passwords in URLs, short secret query
 * parameters, SQL `PASSWORD '…'`, PEM private key bodies, and the configured
 * extra patterns (DIAG_REDACT_PATTERNS), each match of which goes whole.
 */
import type { View } from './normalised-view.js';
import { PEM_PRIVATE_KEY, REDACTED, SECRET_QUERY, SQL_PASSWORD, URL_USERINFO } from './secret-patterns.js';
import type { Spans } from './spans.js';
import { Rank } from './spans.js';
import { isRedacted } from './stubs.js';

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
