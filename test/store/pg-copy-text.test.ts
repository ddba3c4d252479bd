/**
 * The COPY text encoding: its escapes spelled out, and values sent through a
 * real `COPY … FROM STDIN` on the machine's PostgreSQL read back as they were
 * (hostile text, any code point but NUL, numbers, booleans, NULL).
 */
import fc from 'fast-check';
import pg from 'pg';
import copyStreams from 'pg-copy-streams';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyChunks, copyRow, copyValue, type CopyValue } from '../../src/store/postgres/pg-copy-text.js';
import { HOSTILE } from './contract/hostile-text.js';
import { PG_URL } from './pg-scratch.js';

describe('COPY text values', () => {
  it('escapes the backslash, tab, newline and carriage return, and nothing else', () => {
    expect(copyValue('a\tb\nc\rd\\e')).toBe('a\\tb\\nc\\rd\\\\e');
    expect(copyValue('\\N')).toBe('\\\\N');
    expect(copyValue('\\.')).toBe('\\\\.');
    expect(copyValue('bidi \u202E x \u2066 🦀 \u0001 \u001b[0m \u2028')).toBe('bidi \u202E x \u2066 🦀 \u0001 \u001b[0m \u2028');
    expect(copyValue('')).toBe('');
  });

  it('writes NULL, booleans and numbers as PostgreSQL reads them', () => {
    expect(copyValue(null)).toBe('\\N');
    expect([copyValue(true), copyValue(false)]).toEqual(['t', 'f']);
    expect([copyValue(0), copyValue(-0), copyValue(1764014400000), copyValue(9.5), copyValue(-3)]).toEqual(['0', '0', '1764014400000', '9.5', '-3']);
    expect([copyValue(Number.NaN), copyValue(Infinity), copyValue(-Infinity)]).toEqual(['NaN', 'Infinity', '-Infinity']);
  });

  it('refuses NUL, which PostgreSQL text cannot hold', () => {
    expect(() => copyValue('a\u0000b')).toThrow(/NUL/);
  });

  it('ends every row with a newline and cuts long input into chunks of whole rows', () => {
    expect(copyRow(['a', null, 1, true])).toBe('a\t\\N\t1\tt\n');
    const rows = Array.from({ length: 5000 }, (_, i) => [`row ${i} ${'x'.repeat(200)}`, i] as CopyValue[]);
    const chunks = [...copyChunks(rows)];
    expect(chunks.length).toBeGreaterThan(1);
    for (const c of chunks) expect(c.endsWith('\n')).toBe(true);
    expect(chunks.join('')).toBe(rows.map(copyRow).join(''));
    expect([...copyChunks([])]).toEqual([]);
  });
});

/** Any code point but NUL, the characters COPY escapes (and those that follow a backslash in its escapes) often. */
const CHAR = fc.oneof(
  fc.constantFrom('\\', '\t', '\n', '\r', 'N', '.', 't', '\u202E'),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }).filter((c) => c !== '\u0000'),
);

describe('COPY text through PostgreSQL', () => {
  const client = new pg.Client({ connectionString: PG_URL });

  beforeAll(async () => {
    await client.connect();
    await client.query('CREATE TEMP TABLE copy_back (ord integer, t text, n bigint, f double precision, b boolean)');
  });
  afterAll(async () => {
    await client.end();
  });

  /** Rows through COPY and back, in order. */
  async function roundTrip(rows: CopyValue[][]): Promise<unknown[][]> {
    await client.query('TRUNCATE copy_back');
    const numbered = rows.map((r, i) => [i, ...r]);
    await pipeline(Readable.from(copyChunks(numbered)), client.query(copyStreams.from('COPY copy_back (ord, t, n, f, b) FROM STDIN')));
    const back = await client.query<{ t: string | null; n: string | null; f: number | null; b: boolean | null }>('SELECT t, n, f, b FROM copy_back ORDER BY ord');
    return back.rows.map((r) => [r.t, r.n === null ? null : Number(r.n), r.f, r.b]);
  }

  it('reads hostile text back byte for byte, beside numbers, booleans and NULL', async () => {
    const rows: CopyValue[][] = HOSTILE.map((t, i) => [t, 1764014400000 + i, i + 0.25, i % 2 === 0]);
    rows.push([null, null, null, null], ['', 0, -0.5, false], ['\\', -1, Infinity, true]);
    const back = await roundTrip(rows);
    expect(back).toEqual(rows);
    for (const [i, t] of HOSTILE.entries()) expect(Buffer.from(back[i]![0] as string, 'utf8').equals(Buffer.from(t, 'utf8'))).toBe(true);
  });

  it('reads any text without NUL back unchanged (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.string({ unit: CHAR, maxLength: 80 }), { minLength: 1, maxLength: 20 }), async (texts) => {
        const rows: CopyValue[][] = texts.map((t) => [t, null, null, null]);
        expect((await roundTrip(rows)).map((r) => r[0])).toEqual(texts);
      }),
      { numRuns: 60 },
    );
  });
});
