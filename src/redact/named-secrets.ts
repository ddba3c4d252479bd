/**
 * Values named as secrets in free text: `password=…`, `token: …`,
 * `"api_key"   :   "…"`, `--password …` / `--token=…` on a command line,
 * `aws_secret_access_key …`, `Cookie: …` (its whole value, to the end of the
 * line). One hit per secret word; the name around it is the run of name
 * characters the word sits in, so `client_secret`, `x-api-key`, `tokenSecret`
 * are names and `max_tokens` is a counter (kept). Any number of spaces or tabs
 * may stand around the `=` or `:`.
 *
 * Every scan moves forward: the name's end is remembered for every word in
 * it, and after a value the search goes on past it, so repeated words and
 * separators cost one look each.
 */
import type { View } from './normalised-view.js';
import { isCounterName } from './secret-patterns.js';
import { RunEnds, type Spans, isWordChar, skipBlanks } from './spans.js';
import { redactedAt, valueStub } from './stubs.js';

/** The words that make a name secret. */
export const SECRET_WORDS =
  /pass(?:word|wd|phrase)?|pwd|secret|token|api[-_]?key|access[-_]?key|credential|private[-_]?key|authorization|session[-_]?id|signature|connection[-_]?string|cookie/gi;

/** How far before a secret word its name is looked for (`x-amz-security-token`, `aws_secret_access_key`). */
const NAME_BEFORE = 32;

/** Names whose value may follow after blanks alone, the way credentials files and env dumps write them. */
const BLANK_SEPARATED = /secret_?access_?key/i;

/** An unquoted value runs to whitespace or one of `& " ' , ; < >`. */
function isValueChar(c: number): boolean {
  return c > 32 && c !== 38 && c !== 34 && c !== 39 && c !== 44 && c !== 59 && c !== 60 && c !== 62 && c !== 0xa0 && c !== 0x2028 && c !== 0x2029;
}

function isLineChar(c: number): boolean {
  return c !== 10 && c !== 13;
}

/** The end of a quoted value opened at `q`: its closing quote (a backslash escapes in double quotes), or the line's end. */
function quotedEnd(t: string, q: number): number {
  const quote = t.charCodeAt(q);
  let i = q + 1;
  while (i < t.length) {
    const c = t.charCodeAt(i);
    if (c === quote || c === 10 || c === 13) return i;
    i += c === 92 && quote === 34 ? 2 : 1;
  }
  return t.length;
}

export function scanNamedSecrets(view: View, spans: Spans): void {
  const t = view.text;
  const names = new RunEnds(t, isWordChar);
  const values = new RunEnds(t, isValueChar);
  const lines = new RunEnds(t, isLineChar);
  const re = new RegExp(SECRET_WORDS.source, 'gi');
  let nameFloor = 0;
  for (let m = re.exec(t); m; m = re.exec(t)) {
    const nameEnd = names.end(m.index);
    let nameStart = m.index;
    while (nameStart > nameFloor && m.index - nameStart < NAME_BEFORE && isWordChar(t.charCodeAt(nameStart - 1))) nameStart--;
    nameFloor = nameEnd;
    re.lastIndex = nameEnd;
    const name = t.slice(nameStart, nameEnd);
    if (isCounterName(name)) continue;
    // A flag starts an argument: after whitespace, a quote, a bracket or comma of an argv, or the start of the text.
    const flag = name.startsWith('-') && (nameStart === 0 || /[\s"'(\[,=]/.test(t[nameStart - 1]!));
    let q = nameEnd;
    if (t.charCodeAt(q) === 34 || t.charCodeAt(q) === 39) q++;
    const sepAt = skipBlanks(t, q);
    const sep = t.charCodeAt(sepAt);
    let v: number;
    if ((sep === 61 || sep === 58) && t.charCodeAt(sepAt + 1) !== 58) {
      v = skipBlanks(t, sepAt + 1);
    } else if (sepAt > q && (flag || BLANK_SEPARATED.test(name))) {
      v = sepAt;
      if (t.charCodeAt(v) === 45) continue; // the next flag, not a value
    } else {
      continue;
    }
    if (v >= t.length || redactedAt(t, v)) continue;
    const c = t.charCodeAt(v);
    let end: number;
    if (c === 34 || c === 39) {
      end = quotedEnd(t, v);
      // Already reduced: what follows it is read on its own (an unclosed quote would otherwise hide the rest of the line).
      if (redactedAt(t, v + 1)) end = v + 1;
      else spans.add(view, v + 1, end);
    } else if (/cookie/i.test(name)) {
      end = lines.end(v);
      spans.add(view, v, end);
    } else {
      end = values.end(v);
      const value = t.slice(v, end);
      if (value === '') continue;
      if (!flag && sep !== 61 && sep !== 58 && value.length < 20) continue; // `aws_secret_access_key is missing`
      const scheme = /^(?:Bearer|Basic)$/i.exec(value);
      if (scheme) {
        const c2 = skipBlanks(t, end);
        if (c2 === end || redactedAt(t, c2)) continue;
        end = values.end(c2);
        const cred = t.slice(c2, end);
        if (cred === '' || /^(?:bearer|basic)$/i.test(cred)) continue;
        spans.add(view, c2, end, valueStub(cred));
      } else {
        spans.add(view, v, end, valueStub(value));
      }
    }
    re.lastIndex = Math.max(nameEnd, end);
    nameFloor = re.lastIndex;
  }
}
