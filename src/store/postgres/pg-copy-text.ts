/**
 * PostgreSQL's COPY text format, the default of `COPY … FROM STDIN`: a row a
 * line, its columns apart by tabs, NULL written `\N`. Inside a value the
 * characters that would end a column or a row (tab, newline, carriage return)
 * and the backslash that escapes are written as backslash sequences;
 * everything else goes as it is, as UTF-8 (the connection's client_encoding):
 * other control characters, bidi controls, any plane. A value can so never
 * read as `\N` or as the `\.` end marker, since its own backslashes are
 * doubled. PostgreSQL text cannot hold NUL: callers pass text without it
 * (event JSON escapes it, derived columns go through pgText), and a NUL that
 * slips through is refused here rather than cut by the server. copyInto
 * sends rows so written (pg-copy-streams) straight into a table.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import copyStreams from 'pg-copy-streams';
import type { Client } from './pg-connect.js';

/** A column's value: text, a number (integer or float column), a boolean, or NULL. */
export type CopyValue = string | number | boolean | null;

const SPECIAL = /[\\\t\n\r]/;
const SPECIALS = /[\\\t\n\r]/g;
const ESCAPE: Readonly<Record<string, string>> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

function escapeChar(ch: string): string {
  return ESCAPE[ch]!;
}

/** One value as COPY text reads it back to the same value. */
export function copyValue(v: CopyValue): string {
  if (v === null) return '\\N';
  if (typeof v === 'string') {
    if (v.includes('\u0000')) throw new Error('COPY text cannot carry NUL: the value must be cleaned first (pgText)');
    return SPECIAL.test(v) ? v.replace(SPECIALS, escapeChar) : v;
  }
  if (typeof v === 'boolean') return v ? 't' : 'f';
  // NaN and ±Infinity as float8 spells them; an integer column refuses them as it refuses them in any INSERT.
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '-Infinity';
  return String(v);
}

/** One row: its values apart by tabs, ended by a newline. */
export function copyRow(values: readonly CopyValue[]): string {
  let s = '';
  for (let i = 0; i < values.length; i++) {
    if (i) s += '\t';
    s += copyValue(values[i]!);
  }
  return s + '\n';
}

/** Chunks this many characters long (or one row longer) go to the server as one message each. */
const CHUNK_CHARS = 256 * 1024;

/** Rows as COPY text, in chunks of whole rows, so a large piece is never one string. */
export function* copyChunks(rows: Iterable<readonly CopyValue[]>): Generator<string> {
  let chunk = '';
  for (const row of rows) {
    chunk += copyRow(row);
    if (chunk.length >= CHUNK_CHARS) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}

/** COPYs rows into a table (names are constants of the caller, never input), each row's values in `columns`' order. */
export async function copyInto(c: Client, table: string, columns: readonly string[], rows: Iterable<readonly CopyValue[]>): Promise<void> {
  const sink = c.query(copyStreams.from(`COPY ${table} (${columns.join(', ')}) FROM STDIN`));
  await pipeline(Readable.from(copyChunks(rows)), sink);
}
