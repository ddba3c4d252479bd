import { isUtf8 } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineSplitter, type SplitLine } from '../../../src/ingest/readers/line-splitter.js';

/**
 * Where a capped line is cut: at `max` bytes, unless that splits a character —
 * then at the start of that character (the byte at `max` is a continuation byte
 * and a lead byte sits at most 3 bytes before it).
 */
function cutAt(b: Buffer, max: number): number {
  if (b.length <= max) return b.length;
  let cut = max;
  for (let i = 0; i < 3 && cut > 0 && (b[cut]! & 0xc0) === 0x80; i++) cut--;
  return cut < max && b[cut]! >= 0xc0 ? cut : max;
}

/** The one-shot reference: the whole input at once, split on \n by hand. */
function reference(input: Buffer, maxLine: number, start = 0): { lines: SplitLine[]; rest: SplitLine | null; consumed: number } {
  const lines: SplitLine[] = [];
  let pos = 0;
  const make = (from: number, to: number, nl: number): SplitLine => {
    const raw = input.subarray(from, to);
    const truncated = raw.length > maxLine;
    let kept = raw.subarray(0, truncated ? cutAt(raw, maxLine) : raw.length);
    if (!truncated && kept.length && kept[kept.length - 1] === 13) kept = kept.subarray(0, kept.length - 1);
    return {
      text: kept.toString('utf8'),
      offset: start + from,
      end: start + to + nl,
      invalidUtf8: !isUtf8(raw.subarray(0, truncated ? cutAt(raw, maxLine) : raw.length)),
      truncatedBytes: truncated ? raw.length : null,
    };
  };
  for (;;) {
    const nl = input.indexOf(10, pos);
    if (nl < 0) break;
    lines.push(make(pos, nl, 1));
    pos = nl + 1;
  }
  return { lines, rest: pos < input.length ? make(pos, input.length, 0) : null, consumed: start + pos };
}

function run(chunks: Buffer[], maxLine: number, start = 0, end = true) {
  const s = new LineSplitter(start, maxLine);
  const lines: SplitLine[] = [];
  const sink = (l: SplitLine) => lines.push(l);
  for (const c of chunks) s.push(c, sink);
  const consumed = s.consumed;
  const pending = s.pending;
  const tail: SplitLine[] = [];
  if (end) s.end((l) => tail.push(l));
  return { lines, consumed, pending, tail };
}

/** Bytes that stress the splitter: newlines, CR, multi-byte characters, invalid sequences. */
const piece = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom('a', 'b', '{', '"', ' ') },
  { weight: 3, arbitrary: fc.constant('\n') },
  { weight: 1, arbitrary: fc.constant('\r\n') },
  { weight: 1, arbitrary: fc.constant('\r') },
  { weight: 1, arbitrary: fc.constantFrom('é', '€', '𝄞', 'ж') },
  { weight: 1, arbitrary: fc.constantFrom('\xff', '\xc3', '\xe2\x82', '\x80') },
);
const bytesArb = fc.array(piece, { maxLength: 80 }).map((parts) =>
  Buffer.concat(parts.map((p) => (/^[\x80-\xff]+$/.test(p) ? Buffer.from(p, 'latin1') : Buffer.from(p, 'utf8')))),
);

function chunked(buf: Buffer, cuts: number[]): Buffer[] {
  const at = [...new Set(cuts.map((c) => c % (buf.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let prev = 0;
  for (const c of [...at, buf.length]) {
    // A fresh copy per chunk, from a buffer the splitter may not keep.
    out.push(Buffer.from(buf.subarray(prev, c)));
    prev = c;
  }
  return out;
}

function expectSame(buf: Buffer, chunks: Buffer[], maxLine: number, start: number): void {
  const ref = reference(buf, maxLine, start);
  const got = run(chunks, maxLine, start);
  expect(got.lines).toEqual(ref.lines);
  expect(got.consumed).toBe(ref.consumed);
  expect(got.pending).toBe(buf.length - (ref.consumed - start));
  expect(got.tail).toEqual(ref.rest ? [ref.rest] : []);
}

describe('LineSplitter', () => {
  it('any chunking gives the same lines, offsets and ends as the one-shot reference', () => {
    fc.assert(
      fc.property(bytesArb, fc.array(fc.nat(), { maxLength: 12 }), fc.integer({ min: 1, max: 24 }), fc.nat(1_000_000), (buf, cuts, maxLine, start) => {
        expectSame(buf, chunked(buf, cuts), maxLine, start);
      }),
      { numRuns: 3000 },
    );
  });

  it('split at every offset of awkward inputs', () => {
    const inputs = [
      Buffer.from('{"a":1}\n{"b":"é€𝄞"}\r\n\nlast', 'utf8'),
      Buffer.concat([Buffer.from('ok\nbad '), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('\n€€€€€€€€\n\r\n\r\r\nx')]),
      Buffer.from('€'.repeat(30) + '\n' + 'x'.repeat(40) + '\r\n' + 'y'.repeat(7), 'utf8'),
    ];
    for (const buf of inputs) {
      for (const maxLine of [1, 2, 5, 8, 16, 1024]) {
        for (let k = 0; k <= buf.length; k++) {
          expectSame(buf, [buf.subarray(0, k), buf.subarray(k)], maxLine, 100);
          expectSame(buf, [buf.subarray(0, k), Buffer.alloc(0), buf.subarray(k)], maxLine, 0);
        }
        // Byte by byte.
        expectSame(buf, [...buf].map((b) => Buffer.from([b])), maxLine, 7);
      }
    }
  });

  it('keeps an over-long line truncated, and the lines after it whole at the right offsets', () => {
    const long = 'L'.repeat(100);
    const buf = Buffer.from(`first\n${long}\nnext\n`);
    for (const chunks of [[buf], [buf.subarray(0, 10), buf.subarray(10, 50), buf.subarray(50)]]) {
      const { lines } = run(chunks, 16);
      expect(lines.map((l) => [l.text, l.offset, l.end, l.truncatedBytes])).toEqual([
        ['first', 0, 6, null],
        ['L'.repeat(16), 6, 107, 100],
        ['next', 107, 112, null],
      ]);
    }
  });

  it('does not cut a character in two at the cap, nor call that invalid UTF-8', () => {
    const buf = Buffer.from('€€€€€\n', 'utf8'); // 15 bytes, cap 8 falls inside the third €
    for (const chunks of [[buf], [buf.subarray(0, 4), buf.subarray(4)]]) {
      const [l] = run(chunks, 8).lines;
      expect(l).toEqual({ text: '€€', offset: 0, end: 16, invalidUtf8: false, truncatedBytes: 15 });
    }
  });

  it('strips CR of CRLF, keeps a lone CR inside a line', () => {
    const { lines } = run([Buffer.from('a\r\nb\rc\n\r\n')], 1024);
    expect(lines.map((l) => l.text)).toEqual(['a', 'b\rc', '']);
  });

  it('flags invalid UTF-8 and replaces it, line by line', () => {
    const buf = Buffer.concat([Buffer.from('good\n'), Buffer.from([0x62, 0x61, 0x64, 0xff, 0x0a]), Buffer.from('good again\n')]);
    const { lines } = run([buf], 1024);
    expect(lines.map((l) => [l.text, l.invalidUtf8])).toEqual([
      ['good', false],
      ['bad\ufffd', true],
      ['good again', false],
    ]);
  });

  it('holds a last line without its newline until end(), which releases it', () => {
    const s = new LineSplitter(50, 1024);
    const got: SplitLine[] = [];
    s.push(Buffer.from('one\ntw'), (l) => got.push(l));
    s.push(Buffer.from('o'), (l) => got.push(l));
    expect(got.map((l) => l.text)).toEqual(['one']);
    expect(s.consumed).toBe(54);
    expect(s.pending).toBe(3);
    s.end((l) => got.push(l));
    expect(got[1]).toEqual({ text: 'two', offset: 54, end: 57, invalidUtf8: false, truncatedBytes: null });
    expect(s.consumed).toBe(57);
    expect(s.pending).toBe(0);
    s.end(() => {
      throw new Error('nothing left to release');
    });
  });
});
