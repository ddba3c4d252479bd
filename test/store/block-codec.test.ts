/** The packed form of a block's lines: what it holds, what it refuses, and that its dictionary cannot drift. */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BLOCK_DICTIONARY } from '../../src/store/block-dictionary.js';
import { DEFLATE_DICT_1, linesWithCids, packLines, storedLines, unpackLines } from '../../src/store/block-codec.js';
import { encodedCid, encodeForStore } from '../../src/store/event-codec.js';
import { StoreError } from '../../src/store/store.js';
import { DEFAULT_REDACTOR } from '../../src/redact/redactor.js';
import { auditStream, cid, container, cpStream, dockerStream, StreamFixture, T0 } from '../fixtures/events.js';

/** A block's worth of real encoded lines: requests, an audit entry, PostgreSQL and pino lines from containers. */
function encodedLines(n: number): string[] {
  const cp = new StreamFixture(cpStream('codec'));
  const au = new StreamFixture(auditStream('codec'));
  const db = new StreamFixture(dockerStream(container('codec-db', 'w1', 'db')));
  const fn = new StreamFixture(dockerStream(container('codec-fn', 'w1', 'functions')));
  const events = [];
  for (let i = 0; i < n; i++) {
    const c = cid(`codec-${i}`);
    const t = T0 + i * 37;
    events.push(cp.cpLine({ cid: c, time: t, wok: 'w1', msg: 'wok resolved' }));
    events.push(db.pg({ time: t + 1, cid: c, message: `duration: ${i % 7}.114 ms  statement: SELECT id, name FROM items WHERE id = ${i}` }));
    events.push(fn.fn({ time: t + 2, cid: c, msg: 'invoke done' }));
    events.push(cp.request({ cid: c, time: t + 3, method: 'POST', url: '/v1/woks/w1/sql', status: i % 9 === 0 ? 502 : 200, message: 'exec_sql failed' }));
    if (i % 5 === 0) events.push(au.audit({ time: t + 3, cid: c, wok: 'w1', action: 'wok.sql.exec' }));
  }
  return events.map((e) => encodeForStore(e, DEFAULT_REDACTOR));
}

describe('block codec', () => {
  it('gives back exactly the lines it packed, non-ASCII text and a lone empty line included', () => {
    const lines = [...encodedLines(20), encodeForStore(new StreamFixture(cpStream('u')).cpLine({ time: T0, msg: 'Zürich → 東京 ✓ \u{1F600} \\n "quoted"' }), DEFAULT_REDACTOR)];
    const data = lines.join('\n');
    expect(unpackLines(packLines(data))).toBe(data);
    expect(storedLines(packLines(data))).toEqual(lines);
    expect(unpackLines(packLines(''))).toBe('');
  });

  it('starts with its codec number, never the "{" that every line stored as text begins with', () => {
    const packed = packLines(encodedLines(3).join('\n'));
    expect(packed[0]).toBe(DEFLATE_DICT_1);
    expect(packed[0]).not.toBe('{'.charCodeAt(0));
  });

  it('hands over a buffer of exactly its own length (a view into a larger one would be cloned whole to the writing thread)', () => {
    for (const n of [1, 30, 300]) {
      const packed = packLines(encodedLines(n).join('\n'));
      expect(packed.byteOffset).toBe(0);
      expect(packed.buffer.byteLength).toBe(packed.length);
    }
  });

  it('reads a block stored as text (written before blocks were packed) as it is', () => {
    const data = encodedLines(4).join('\n');
    expect(unpackLines(data)).toBe(data);
    expect(storedLines(data)).toEqual(data.split('\n'));
  });

  it('refuses a codec it does not know and bytes that do not inflate, as a corrupt store', () => {
    const packed = packLines(encodedLines(10).join('\n'));
    const unknown = Uint8Array.from(packed);
    unknown[0] = 2;
    const cut = packed.subarray(0, packed.length >> 1);
    for (const bad of [unknown, cut, Uint8Array.of(DEFLATE_DICT_1, 0xff, 0xff, 0xff)]) {
      let err: unknown;
      try {
        unpackLines(bad);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(StoreError);
      expect((err as StoreError).reason).toBe('corrupt');
    }
  });

  it('packs a block of typical lines to under a fifth of its text, and a block of one line to well under it', () => {
    const block = encodedLines(120).join('\n');
    expect(packLines(block).length).toBeLessThan(block.length / 5);
    // The dictionary holds the fragments a single line repeats from every other line.
    const one = encodedLines(1)[3]!;
    expect(packLines(one).length).toBeLessThan(one.length * 0.7);
  });

  it('inflates blocks packed by earlier releases: the dictionary of codec 1 is frozen', () => {
    expect(unpackLines(Buffer.from(FROZEN_HEX, 'hex'))).toBe(FROZEN_TEXT);
    expect(createHash('sha256').update(BLOCK_DICTIONARY).digest('hex')).toBe('9af982c2be5d82a127c121e079f9e0a027f502d61d61e9b980c234552cdb2be3');
  });

  it('finds the lines of a few ids by searching the unpacked bytes, the same lines a read of every line finds', () => {
    const lines = encodedLines(30);
    const [first, last] = [encodedCid(lines[0]!)!, encodedCid(lines[lines.length - 1]!)!];
    // A line whose fields hold a "c" reads as that id (encodedCid's caveat, which readers check by decoding); one of non-ASCII text.
    lines.splice(7, 0, `{"o":1,"t":5,"l":2,"m":"x","f":{"a":1,"c":"${first}"}}`, encodeForStore(new StreamFixture(cpStream('u')).cpLine({ cid: last, time: T0, msg: 'Zürich → 東京 \u{1F600}' }), DEFAULT_REDACTOR));
    const data = lines.join('\n');
    const byLine = (ids: Set<string>) => lines.filter((l) => ids.has(encodedCid(l) ?? ''));
    for (const ids of [new Set([first]), new Set([last]), new Set([first, last, cid('codec-9'), 'no-such-id']), new Set(lines.slice(0, 40).map((l) => encodedCid(l)!))]) {
      const want = byLine(ids);
      expect(want.length).toBeGreaterThan(1);
      expect(linesWithCids(packLines(data), ids)).toEqual(want);
      expect(linesWithCids(data, ids)).toEqual(want);
    }
    expect(linesWithCids(packLines(data), new Set(['no-such-id']))).toEqual([]);
  });
});

/** Packed once by codec 1 and kept: if BLOCK_DICTIONARY changes, these bytes stop inflating to this text. */
const FROZEN_TEXT = [
  '{"o":148,"t":1764000000303,"l":2,"m":"request completed","c":"d16b0ca67165ef4d","w":"w90089","g":"org3","f":{"pid":7,"hostname":"cp-1","headers":{"user-agent":"tellwang-cli/1.8.2 node/20.20.2","x-forwarded-for":"203.0.113.7"}},"h":["POST","/v1/woks/w90089/sql",200,269,"skl","b2b34955",null,"::ffff:10.0.3.17"]}',
  '{"o":190,"t":1764000002055,"l":2,"m":"checkpoint complete: wrote 42 buffers (0.3%); 0 WAL file(s) added, 0 removed, 0 recycled; write=4.213 s, sync=0.004 s, total=4.229 s","w":"w103a34","f":{"pid":28,"severity":"LOG"},"S":1,"F":"g"}',
].join('\n');
const FROZEN_HEX =
  '019d964b0e02211044f79ec270804ef507068e33f8b9822bef6e60740047c744162c583495aed7e9aa175b7cbe05433d0aed2b6d0d5d7e3b73c838cd61e2e02f572b135c85262026b7cad77dc6d87d277dc09a2992ac6c0b48dc27c0054a2066a5a979fc6eccad6a2cf0b8ea8684f482274b564bde6fe9012995f5733f2c7d4b18fb26f0beefdb4ec635692917a4ff055d2361edd32eace55d2391742c53503d61e8ac363821f1e75a7f00';
