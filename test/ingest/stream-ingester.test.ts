/**
 * StreamIngester against the real SQLite store: batches and checkpoints, a
 * stop at any byte, and a restart from the committed checkpoint store every
 * line exactly once — including Docker lines split over 16 KiB whose parts
 * straddle the stop, with the other stream's lines interleaved.
 */
import { describe, expect, it } from 'vitest';
import { StreamIngester } from '../../src/ingest/stream-ingester.js';
import type { ContainerRef } from '../../src/model/event.js';
import type { StreamInfo } from '../../src/model/stream.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { dockerRecords } from '../../scripts/formats/docker-json-file.js';
import { capturePino } from '../../scripts/formats/pino-lines.js';

const T = Date.UTC(2026, 10, 24, 20, 22, 24, 843);
const CID = '1111222233334444';
const fn: ContainerRef = { id: 'e'.repeat(64), name: 'wok-w1-fn', wok: 'w1', role: 'functions', image: 'fn:3' };
const info: StreamInfo = { key: 'feedfacefeedface', kind: 'docker', path: '/x/e-json.log', container: fn, source: 'container' };

function dockerFile(): { bytes: Buffer; messages: string[] } {
  const p = capturePino({ correlation_id: CID });
  p.setTime(T);
  p.logger.info({ blob: 'a'.repeat(30_000) }, 'big one');
  p.logger.info('short stderr');
  p.logger.info({ blob: 'b'.repeat(17_000) }, 'big two');
  p.logger.info('tail');
  const [big1, short, big2, tail] = p.take();
  const b1 = dockerRecords({ text: big1!, stream: 'stdout', time: T });
  const s = dockerRecords({ text: short!, stream: 'stderr', time: T + 1 });
  const b2 = dockerRecords({ text: big2!, stream: 'stderr', time: T + 2 });
  const t = dockerRecords({ text: tail!, stream: 'stdout', time: T + 3 });
  // stdout's first long line is open while stderr writes a short line and a long one of its own.
  const recs = [b1[0]!, s[0]!, b2[0]!, b1[1]!, b2[1]!, t[0]!];
  expect(b1.length).toBe(2);
  expect(b2.length).toBe(2);
  return { bytes: Buffer.from(recs.join('')), messages: ['big one', 'short stderr', 'big two', 'tail'] };
}

async function ingest(store: SqliteStore, bytes: Buffer, upTo: number, final: boolean, batchLines: number, chunk: number): Promise<StreamIngester> {
  const ing = await StreamIngester.open(store, info, { maxLine: 1024 * 1024, batchLines });
  for (let pos = ing.offset; pos < upTo; pos += chunk) await ing.push(bytes.subarray(pos, Math.min(upTo, pos + chunk)));
  await ing.flush(final);
  return ing;
}

describe('StreamIngester: stop anywhere, restart, exactly once', () => {
  const { bytes, messages } = dockerFile();
  const boundaries = [...bytes.keys()].filter((i) => bytes[i] === 10).map((i) => i + 1);
  const stops = [...new Set([0, ...boundaries, ...boundaries.map((b) => b - 7), 1, 20_000, bytes.length - 1, bytes.length])].filter((k) => k >= 0 && k <= bytes.length).sort((a, b) => a - b);

  it.each([1, 2, 1000])('batches of %i lines', async (batchLines) => {
    for (const stop of stops) {
      const store = new SqliteStore(':memory:');
      try {
        const first = await ingest(store, bytes, stop, false, batchLines, 4096);
        const cp = await store.checkpoint(info.key);
        // The checkpoint never passes an open line: everything before it is stored.
        if (cp) expect(cp.offset).toBeLessThanOrEqual(stop);
        // What is not committed is reported as held back.
        expect(first.report.pendingBytes, `stop at ${stop}`).toBe(stop - (cp?.offset ?? 0));
        await ingest(store, bytes, bytes.length, false, batchLines, 8192);
        const events = await store.eventsByCid(CID);
        expect(events.map((e) => e.message).sort(), `stop at ${stop}`).toEqual([...messages].sort());
        const big = events.find((e) => e.message === 'big one')!;
        expect((big.fields.blob as string).length).toBe(30_000);
        expect(big.id).toBe(`${info.key}:0`);
        const again = await ingest(store, bytes, bytes.length, true, batchLines, 8192);
        expect(again.report.stored).toBe(0);
        expect((await store.checkpoint(info.key))!.offset).toBe(bytes.length);
      } finally {
        await store.close();
      }
    }
  });

  it('a stream that stops inside a split line holds it back, and --final keeps it as it is', async () => {
    const store = new SqliteStore(':memory:');
    try {
      const cut = boundaries[0]!; // after the first part of "big one"
      const held = await ingest(store, bytes, cut, false, 1000, 4096);
      expect(held.report.stored).toBe(0);
      expect(held.report.pendingBytes).toBe(cut);
      const fin = await ingest(store, bytes, cut, true, 1000, 4096);
      expect(fin.report.stored).toBe(1);
      // Its JSON is cut, so it is kept as text (no id can be read from it), marked unfinished.
      const tail = await store.containerTail(fn.id, 10);
      expect(tail.length).toBe(1);
      expect(tail[0]).toMatchObject({ id: `${info.key}:0`, format: 'text', fields: { _unfinished: true } });
      expect(tail[0]!.message.length).toBe(16 * 1024);
    } finally {
      await store.close();
    }
  });

  it('counts lines, bytes and line numbers across batches', async () => {
    const store = new SqliteStore(':memory:');
    try {
      const text = Buffer.from(Array.from({ length: 25 }, (_, i) => JSON.stringify({ level: 30, time: T + i, correlation_id: CID, msg: `m${i}` })).join('\n') + '\nnot json\n');
      const ing = await StreamIngester.open(store, { ...info, key: 'abcdabcdabcdabcd', kind: 'file', container: null, source: null }, { maxLine: 1024, batchLines: 4 });
      await ing.push(text);
      await ing.flush(false);
      expect(ing.report).toMatchObject({ lines: 26, bytes: text.length, stored: 25, unparsed: 1, pendingBytes: 0, parsed: { cp: 25 } });
      const cp = (await store.checkpoint('abcdabcdabcdabcd'))!;
      expect([cp.offset, cp.line]).toEqual([text.length, 26]);
      expect((await store.unparsed()).items[0]).toMatchObject({ line: 26, offset: text.length - 'not json\n'.length });
    } finally {
      await store.close();
    }
  });
});
