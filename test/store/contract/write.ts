/** writeBatch and checkpoint: atomicity, exactly-once, idempotency keys. */
import { describe, expect, it } from 'vitest';
import { IdempotencyConflict } from '../../../src/store/store.js';
import type { StreamBatch } from '../../../src/store/store.js';
import { auditStream, checkpoint, cid, container, cpStream, dockerStream, MINUTE, StreamFixture, T0 } from '../../fixtures/events.js';
import type { MakeStore } from '../contract.js';
import { useStore } from './harness.js';

/** A cp stream with `n` requests, one per second from `from`, ids cid(`${seed}-${i}`). */
function requests(seed: string, n: number, from = T0): { s: StreamFixture; cids: string[] } {
  const s = new StreamFixture(cpStream(seed));
  const cids: string[] = [];
  for (let i = 0; i < n; i++) {
    const c = cid(`${seed}-${i}`);
    cids.push(c);
    s.cpLine({ cid: c, time: from + i * 1000, msg: 'wok resolved', wok: 'w1a2b3' });
    s.request({ cid: c, time: from + i * 1000 + 5, url: '/v1/woks/w1a2b3/sql', method: 'POST', status: 200 });
  }
  return { s, cids };
}

export function writeContract(make: MakeStore): void {
  describe('writeBatch and checkpoint', () => {
    const cur = useStore(make);

    it('stores events of every source, unparsed lines and the checkpoint; events read back exactly as written', async () => {
      const c = cid('roundtrip');
      const cp = new StreamFixture(cpStream());
      const au = new StreamFixture(auditStream());
      const db = new StreamFixture(dockerStream(container('db1', 'w1a2b3', 'db')));
      const fn = new StreamFixture(dockerStream(container('fn1', 'w1a2b3', 'functions')));
      const written = [
        cp.cpLine({ cid: c, time: T0, msg: 'wok resolved', wok: 'w1a2b3' }),
        db.pg({ time: T0 + 3, severity: 'ERROR', message: 'relation "missing_table" does not exist', cid: c }),
        fn.fn({ time: T0 + 4, msg: 'invoking handler', cid: c }),
        cp.request({ cid: c, time: T0 + 9, method: 'POST', url: '/v1/woks/w1a2b3/sql', status: 500, code: 'CP_EXEC_FAILED', message: 'exec_sql failed', hint: 'retry', responseTime: 9.5, org: 'acme' }),
        au.audit({ cid: c, time: T0 + 10, wok: 'w1a2b3', action: 'wok.sql.exec', outcome: 'failure' }),
      ];
      const garbage = cp.garbage('\u0000\u0001 binary junk');
      const r = await cur.store.writeBatch({ streams: [cp.batch(), au.batch(), db.batch(), fn.batch()] });
      expect(r).toEqual({ events: 5, unparsed: 1, duplicate: false });
      expect(await cur.store.eventsByCid(c)).toEqual(written);
      const page = await cur.store.unparsed();
      expect(page.items).toEqual([garbage]);
      const k = await cur.store.checkpoint(cp.key);
      expect(k).toMatchObject({ stream: cp.key, offset: cp.offset, line: 3, dev: 2049, ino: 1_310_722, size: cp.offset, lastTime: T0 + 9, unparsed: 1 });
      expect(await cur.store.checkpoint('0000000000000000')).toBeNull();
    });

    it('stores lines holding NUL and other control characters instead of refusing the batch', async () => {
      const c = cid('nul');
      const s = new StreamFixture(cpStream());
      const ref = container('nul-ctr', 'wnul1', 'functions');
      const db = new StreamFixture(dockerStream(ref));
      const msg = 'bad \u0000 byte \u0007\u001b[2J and \uFFFD';
      const events = [
        s.cpLine({ cid: c, time: T0, msg }),
        s.request({ cid: c, time: T0 + 5, status: 500, code: 'CP_INTERNAL', message: msg, url: '/v1/woks/wnul1/sql' }),
        db.fn({ time: T0 + 1, msg: `uncaught exception: ${msg}`, cid: c, level: 60 }),
      ];
      const junk = s.garbage('\u0000\u0000\u0001\u0002 binary garbage \u0000');
      expect(await cur.store.writeBatch({ streams: [s.batch(), db.batch()] })).toEqual({ events: 3, unparsed: 1, duplicate: false });
      // The events and the unparsed line read back exactly.
      expect(await cur.store.eventsByCid(c)).toEqual([events[0], events[2], events[1]]);
      expect((await cur.store.unparsed()).items).toEqual([junk]);
      // Derived rows are stored too (PostgreSQL text cannot hold NUL: there it reads back as U+FFFD).
      const stored = (text: string) => [text, text.replaceAll('\u0000', '\uFFFD')];
      const [req] = (await cur.store.search({})).items;
      expect(stored(msg)).toContain(req?.message);
      const [life] = await cur.store.lifecycle({ from: T0, to: T0 + 10 });
      expect(stored(`uncaught exception: ${msg}`)).toContain(life?.message);
    });

    it('keeps the checkpoint counters cumulative, its offset monotonic and lastTime null until a line has a time', async () => {
      const s = new StreamFixture(cpStream());
      s.skip(100);
      await cur.store.writeBatch({ streams: [{ ...s.batch(), checkpoint: checkpoint(s.key, 100, { line: 2, invalidUtf8: 1, truncated: 1 }) }] });
      expect(await cur.store.checkpoint(s.key)).toMatchObject({ offset: 100, line: 2, lastTime: null, invalidUtf8: 1, truncated: 1, unparsed: 0 });
      s.line = 2;
      s.cpLine({ time: T0, msg: 'listening' });
      s.garbage('oops');
      const b = s.batch();
      await cur.store.writeBatch({ streams: [{ ...b, checkpoint: { ...b.checkpoint, invalidUtf8: 2 } }] });
      expect(await cur.store.checkpoint(s.key)).toMatchObject({ offset: s.offset, line: 4, lastTime: T0, invalidUtf8: 3, truncated: 1, unparsed: 1 });
      // An older checkpoint (a second reader behind the first) never moves the stream back.
      await cur.store.writeBatch({ streams: [{ stream: s.info, events: [], unparsed: [], checkpoint: checkpoint(s.key, 50, { line: 1 }) }] });
      expect(await cur.store.checkpoint(s.key)).toMatchObject({ offset: s.offset, line: 4, lastTime: T0 });
    });

    it("keeps the tail digest of the checkpoint's offset: moved with it, kept when the same offset comes without one, never taken from an older offset", async () => {
      const s = new StreamFixture(cpStream());
      const at = (offset: number, tail: string | null) => cur.store.writeBatch({ streams: [{ stream: s.info, events: [], unparsed: [], checkpoint: checkpoint(s.key, offset, { tail }) }] });
      await at(100, 'aaaa');
      expect(await cur.store.checkpoint(s.key)).toMatchObject({ offset: 100, tail: 'aaaa' });
      await at(100, null);
      expect((await cur.store.checkpoint(s.key))?.tail).toBe('aaaa');
      await at(50, 'older');
      expect(await cur.store.checkpoint(s.key)).toMatchObject({ offset: 100, tail: 'aaaa' });
      await at(200, 'bbbb');
      expect(await cur.store.checkpoint(s.key)).toMatchObject({ offset: 200, tail: 'bbbb' });
      // Moved on without a digest: the old one no longer describes the offset.
      await at(300, null);
      expect(await cur.store.checkpoint(s.key)).toMatchObject({ offset: 300, tail: null });
    });

    it('a batch with only a checkpoint is not a duplicate, and creates the stream', async () => {
      const s = new StreamFixture(cpStream());
      s.skip(42);
      expect(await cur.store.writeBatch({ streams: [s.batch()] })).toEqual({ events: 0, unparsed: 0, duplicate: false });
      expect((await cur.store.checkpoint(s.key))?.offset).toBe(42);
    });

    it('the same batch twice is stored once', async () => {
      const { s, cids } = requests('twice', 5);
      const b = s.batch();
      expect(await cur.store.writeBatch({ streams: [b] })).toEqual({ events: 10, unparsed: 0, duplicate: false });
      expect(await cur.store.writeBatch({ streams: [b] })).toEqual({ events: 0, unparsed: 0, duplicate: true });
      const stats = await cur.store.stats();
      expect(stats.events.cp).toBe(10);
      expect(stats.requests).toBe(5);
      expect(await cur.store.eventsByCid(cids[0]!)).toHaveLength(2);
      expect((await cur.store.search({})).items).toHaveLength(5);
    });

    it('overlapping batches and a re-read from before the checkpoint store each line once', async () => {
      const { s, cids } = requests('overlap', 10);
      const all = s.batch();
      const first = { ...all, events: all.events.slice(0, 12), checkpoint: checkpoint(s.key, offsetOf(all.events[12]!.id), { line: 12 }) };
      // A reader restarted from an older position: lines 6..19, half of them already committed.
      const second = { ...all, events: all.events.slice(6) };
      expect((await cur.store.writeBatch({ streams: [first] })).events).toBe(12);
      expect(await cur.store.writeBatch({ streams: [second] })).toEqual({ events: 8, unparsed: 0, duplicate: false });
      // A re-read from the very start after everything is committed: nothing new.
      expect(await cur.store.writeBatch({ streams: [all] })).toEqual({ events: 0, unparsed: 0, duplicate: true });
      expect((await cur.store.stats()).events.cp).toBe(20);
      for (const c of cids) expect(await cur.store.eventsByCid(c)).toHaveLength(2);
      expect((await cur.store.search({ limit: 100 })).items.map((r) => r.cid).sort()).toEqual([...cids].sort());
      expect((await cur.store.checkpoint(s.key))?.offset).toBe(s.offset);
    });

    it('Docker: lines stored past a pending line are not stored again when the pending line completes', async () => {
      const ref = container('dock', 'w9x8y7', 'db');
      const s = new StreamFixture(dockerStream(ref));
      const c = cid('docker-pending');
      const head = s.pg({ time: T0, message: 'database system is ready to accept connections' });
      // Read 1: the stderr line at `pendingAt` is the first 16 KiB part of a long line; stdout lines after it complete.
      const pendingAt = s.offset;
      s.skip(16_500);
      const after = [s.fn({ time: T0 + 2, msg: 'invoking handler', cid: c }), s.fn({ time: T0 + 3, msg: 'handler done', cid: c })];
      const read1: StreamBatch = { stream: s.info, events: [head, ...after], unparsed: [], checkpoint: checkpoint(s.key, pendingAt, { line: 1 }) };
      expect((await cur.store.writeBatch({ streams: [read1] })).events).toBe(3);
      expect((await cur.store.checkpoint(s.key))?.offset).toBe(pendingAt);
      // Read 2 resumes at the pending line: it completes, and the stdout lines after it come again.
      const joined = { ...s.pg({ time: T0 + 1, severity: 'ERROR', message: 'x'.repeat(100), cid: c }), id: `${s.key}:${pendingAt}` };
      const later = s.fn({ time: T0 + 4, msg: 'next request' });
      const read2: StreamBatch = { stream: s.info, events: [joined, ...after, later], unparsed: [], checkpoint: checkpoint(s.key, s.offset, { line: 5 }) };
      expect(await cur.store.writeBatch({ streams: [read2] })).toEqual({ events: 2, unparsed: 0, duplicate: false });
      expect((await cur.store.eventsByCid(c)).map((e) => e.id)).toEqual([joined.id, after[0]!.id, after[1]!.id]);
      // A crash before read 2 committed its successor: the same read again is a no-op.
      expect((await cur.store.writeBatch({ streams: [read2] })).duplicate).toBe(true);
      expect((await cur.store.containerTail(ref.id, 100)).map((e) => e.id)).toEqual([head.id, joined.id, after[0]!.id, after[1]!.id, later.id]);
      expect((await cur.store.checkpoint(s.key))?.offset).toBe(s.offset);
    });

    it('is atomic: a batch that fails part-way leaves nothing behind, checkpoints included', async () => {
      const { s: good, cids } = requests('atomic-good', 3);
      const bad = new StreamFixture(auditStream('atomic-bad'));
      bad.audit({ cid: cid('atomic-bad-1'), time: T0 });
      const broken = bad.audit({ cid: cid('atomic-bad-2'), time: T0 + 1 });
      broken.time = Number.NaN; // a value no column accepts: the write fails after the first stream is in
      good.garbage('not a log line');
      const goodBatch = good.batch();
      await expect(cur.store.writeBatch({ streams: [goodBatch, bad.batch()] })).rejects.toThrow();
      expect(await cur.store.checkpoint(good.key)).toBeNull();
      expect(await cur.store.checkpoint(bad.key)).toBeNull();
      expect(await cur.store.eventsByCid(cids[0]!)).toEqual([]);
      expect(await cur.store.eventsByCid(cid('atomic-bad-1'))).toEqual([]);
      expect((await cur.store.search({})).items).toEqual([]);
      expect((await cur.store.unparsed()).items).toEqual([]);
      const stats = await cur.store.stats();
      expect(stats).toMatchObject({ events: { cp: 0, container: 0, audit: 0 }, unparsed: 0, correlationIds: 0, requests: 0, streams: [] });
      // The same lines, written again without the broken one, are all stored.
      expect(await cur.store.writeBatch({ streams: [goodBatch] })).toEqual({ events: 6, unparsed: 1, duplicate: false });
    });

    it('idempotency key: a repeat writes nothing and answers the same counts; another body under the key is refused', async () => {
      const { s } = requests('idem', 4);
      const b = s.batch();
      const first = await cur.store.writeBatch({ streams: [b], idempotency: { key: 'push-0001', digest: 'd1' } });
      expect(first).toEqual({ events: 8, unparsed: 0, duplicate: false });
      expect(await cur.store.writeBatch({ streams: [b], idempotency: { key: 'push-0001', digest: 'd1' } })).toEqual({ events: 8, unparsed: 0, duplicate: true });
      const other = new StreamFixture(cpStream('idem-other'));
      const oc = cid('idem-other');
      other.request({ cid: oc, time: T0 + MINUTE });
      const conflict = cur.store.writeBatch({ streams: [other.batch()], idempotency: { key: 'push-0001', digest: 'd2' } });
      await expect(conflict).rejects.toBeInstanceOf(IdempotencyConflict);
      expect(await cur.store.checkpoint(other.key)).toBeNull();
      expect(await cur.store.eventsByCid(oc)).toEqual([]);
      expect((await cur.store.stats()).events.cp).toBe(8);
    });

    it('idempotency key: concurrent repeats over two connections store the batch once', async () => {
      const second = await cur.reopen();
      const { s } = requests('idem-race', 50);
      const b = s.batch();
      const results = await Promise.all([
        cur.store.writeBatch({ streams: [b], idempotency: { key: 'race', digest: 'same' } }),
        second.writeBatch({ streams: [b], idempotency: { key: 'race', digest: 'same' } }),
        cur.store.writeBatch({ streams: [b], idempotency: { key: 'race', digest: 'same' } }),
      ]);
      expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
      for (const r of results) expect(r).toMatchObject({ events: 100, unparsed: 0 });
      expect((await cur.store.stats()).events.cp).toBe(100);
      expect((await second.search({ limit: 500 })).items).toHaveLength(50);
    });

    it('concurrent writers of one stream over two connections store each line once', async () => {
      const second = await cur.reopen();
      const { s, cids } = requests('stream-race', 40);
      const b = s.batch();
      const half = { ...b, events: b.events.slice(0, 40), checkpoint: checkpoint(s.key, offsetOf(b.events[40]!.id)) };
      const results = await Promise.all([cur.store.writeBatch({ streams: [b] }), second.writeBatch({ streams: [half] }), second.writeBatch({ streams: [b] })]);
      expect(results.reduce((n, r) => n + r.events, 0)).toBe(80);
      expect((await cur.store.stats()).events.cp).toBe(80);
      for (const c of cids) expect(await cur.store.eventsByCid(c)).toHaveLength(2);
    });
  });
}

function offsetOf(id: string): number {
  return Number(id.slice(id.lastIndexOf(':') + 1));
}
