/**
 * A log_line_prefix compiled once into one anchored regular expression that
 * reads a whole text log line's head: the prefix's values, then the severity
 * (`ERROR:  `). Every group is bounded and no two neighbours can take the
 * same characters, so a line is matched in one pass whatever it holds:
 *
 * - a fixed-form value (%p, %m, %l, %c…) has its own exact pattern;
 * - a free-text value (%a, %u, %d, %r, %h, %i, %b) runs up to the first
 *   occurrence of the literal text the prefix has after it (`@` after %u in
 *   `%u@%d`, `,client=` after %a in `app=%a,client=%h`), so it cannot hold
 *   that text; the last free-text value, after which the prefix has only
 *   literal text, may hold anything, spaces included
 *   (`pgAdmin 4 - DB:postgres`): the severity ends it;
 * - `%q` makes the rest of the prefix optional (background processes stop
 *   there);
 * - padding (`%-10u`, `%10p`) allows that many spaces after or before the value.
 *
 * A prefix that cannot be read this way is refused (PgPrefixError): an unknown
 * escape, a lone `%` at the end, or a free-text value followed directly by
 * another escape, which leaves nothing to tell where it ends.
 */
import { ESCAPES, KNOWN_ESCAPES, type Escape, type PrefixValues } from './pg-prefix-escapes.js';
import { CodedError } from '../../errors/coded-error.js';
import type { DiagCode } from '../../errors/diag-codes.js';

export type { PrefixValues } from './pg-prefix-escapes.js';

/** What the cp's databases use unless DIAG_PG_LOG_LINE_PREFIX says otherwise. */
export const DEFAULT_PG_LOG_LINE_PREFIX = '%m [%p] %q%a ';

export class PgPrefixError extends CodedError {
  override name = 'PgPrefixError';
  readonly code = 'DIAG_PG_PREFIX_INVALID' satisfies DiagCode;
}

const SEVERITIES = 'DEBUG[1-5]|DEBUG|INFO|NOTICE|WARNING|ERROR|LOG|FATAL|PANIC|DETAIL|HINT|QUERY|CONTEXT|LOCATION|STATEMENT';

type Token = { lit: string } | { esc: string; pad: number; at: number };

export interface PrefixMatch {
  values: PrefixValues;
  severity: string;
  /** Where the message starts. */
  end: number;
}

export interface PgLinePrefix {
  /** The prefix as configured. */
  readonly source: string;
  /** The line's prefix and severity, or null when the line does not start that way. */
  match(text: string): PrefixMatch | null;
}

function tokens(prefix: string): Token[] {
  const out: Token[] = [];
  let lit = '';
  for (let i = 0; i < prefix.length; i++) {
    const c = prefix[i]!;
    if (c !== '%') {
      lit += c;
      continue;
    }
    if (prefix[i + 1] === '%') {
      lit += '%';
      i++;
      continue;
    }
    const m = /^(-?)(\d*)(.?)/s.exec(prefix.slice(i + 1))!;
    const letter = m[3]!;
    if (letter === '') throw new PgPrefixError(`log_line_prefix ${JSON.stringify(prefix)} ends with an incomplete escape "${prefix.slice(i)}"`);
    if (letter !== 'q' && !(letter in ESCAPES)) {
      throw new PgPrefixError(`log_line_prefix ${JSON.stringify(prefix)}: unknown escape "%${m[1]}${m[2]}${letter}" at character ${i + 1} (PostgreSQL 15 knows ${KNOWN_ESCAPES})`);
    }
    if (lit) out.push({ lit });
    lit = '';
    out.push({ esc: letter, pad: (m[1] ? -1 : 1) * Number(m[2] || 0), at: i + 1 });
    i += m[0].length;
  }
  if (lit) out.push({ lit });
  return out;
}

function literal(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
}

/** The pattern for a free-text value: up to the next literal character, or (the last one) anything the severity ends. */
function freeText(e: Escape, rest: Token[], prefix: string, at: number): string {
  const next = rest.find((t) => !('esc' in t && t.esc === 'q'));
  if (next && 'esc' in next) {
    throw new PgPrefixError(`log_line_prefix ${JSON.stringify(prefix)}: the ${e.what} (character ${at}) is followed directly by %${next.esc}, so nothing marks where it ends; put a space or another character between them`);
  }
  const last = rest.every((t) => 'lit' in t || t.esc === 'q');
  if (!next || last) return `.{0,${e.max}}?`;
  // Up to the first occurrence of the whole literal that follows (`,client=` after %a): one way to match, no backtracking.
  const d = literal(next.lit[0]!);
  const more = next.lit.slice(1);
  return more ? `(?:[^${d}]|${d}(?!${literal(more)})){0,${e.max}}` : `[^${d}]{0,${e.max}}`;
}

export function compilePgPrefix(prefix: string): PgLinePrefix {
  const ts = tokens(prefix);
  const letters: string[] = [];
  let src = '^';
  let optional = false;
  ts.forEach((t, i) => {
    if ('lit' in t) {
      src += literal(t.lit);
      return;
    }
    if (t.esc === 'q') {
      // Background processes print nothing from here on: the severity follows at once.
      if (!optional) src += `(?:(?!(?:${SEVERITIES}):)`;
      optional = true;
      return;
    }
    const e = ESCAPES[t.esc]!;
    const value = e.pattern ?? freeText(e, ts.slice(i + 1), prefix, t.at);
    const pad = Math.abs(t.pad);
    src += t.pad > 0 ? ` {0,${pad}}(${value})` : t.pad < 0 ? `(${value}) {0,${pad}}` : `(${value})`;
    letters.push(t.esc);
  });
  if (optional) src += ')?';
  src += `(${SEVERITIES}):  ?`;
  const re = new RegExp(src);
  const severityGroup = letters.length + 1;
  return {
    source: prefix,
    match(text) {
      const m = re.exec(text);
      if (!m) return null;
      const values: PrefixValues = { time: null, zone: null, pid: null, application: null, fields: {} };
      const seen = { time: 0 };
      for (let g = 0; g < letters.length; g++) {
        const raw = m[g + 1];
        if (raw === undefined) continue;
        const v = raw.trim();
        if (v !== '') ESCAPES[letters[g]!]!.read(v, values, seen);
      }
      return { values, severity: m[severityGroup]!, end: m[0].length };
    },
  };
}

let last: PgLinePrefix | null = null;

/** compilePgPrefix, kept for the prefix asked last (every stream of a run asks for the same one). */
export function pgPrefix(prefix: string): PgLinePrefix {
  if (last?.source !== prefix) last = compilePgPrefix(prefix);
  return last;
}

export const DEFAULT_PG_PREFIX: PgLinePrefix = compilePgPrefix(DEFAULT_PG_LOG_LINE_PREFIX);
