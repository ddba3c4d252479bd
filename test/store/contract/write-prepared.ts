/**
 * writePrepared: a batch bulk ingest's parser threads already turned into
 * blocks (prepared-batch.ts) is stored as writeBatch stores it — the same
 * events, summaries, unparsed lines and checkpoints, nothing twice when sent
 * again, a stream's pieces in one batch each moving its checkpoint on — and
 * the bulk session and limits a store offers.
 */
import { describe, expect, it } from 'vitest';
import { prepareBatch } from '../../../src/store/prepared-batch.js';
import { IdempotencyConflict, type StreamBatch } from '../../../src/store/store.js';
import { auditStream, checkpoint, cid, container, cpStream, dockerStream, StreamFixture, T0 } from '../../fixtures/events.js';
import type { MakeStore } from '../contract.js';
import { useStore } from './harness.js';

function offsetOf(id: string): number {
  return Number(id.slice(id.lastIndexOf(':') + 1));
}

/** A cp stream of `n` requests, each a line in it and its completion line, ids cid(`${seed}-${i}`). */
function requests(seed: string, n: number): { s: StreamFixture; cids: string[] } {
  const s = new StreamFixture(cpStream(seed));
  const cids: string[] = [];
  for (let i = 0; i < n; i++) {
    const c = cid(`${seed}-${i}`);
    cids.push(c);
    s.cpLine({ cid: c, time: T0 + i * 1000, msg: 'wok resolved', wok: 'w1a2b3' });
    s.request({ cid: c, time: T0 + i * 1000 + 5, url: '/v1/woks/w1a2b3/sql', method: 'POST', status: i % 3 === 0 ? 502 : 200, code: i % 3 === 0 ? 'CP_EXEC_SQL_FAILED' : undefined });
  }
  return { s, cids };
}

export function writePreparedContract(make: MakeStore): void {
  describe('writePrepared: batches prepared off the writing thread', () => {
    const cur = useStore(make);

    it('stores events of every source, their requests and audit records, unparsed lines and the checkpoints, as writeBatch does', async () => {
      const c = cid('prepared');
      const cp = new StreamFixture(cpStream('prepared'));
      const au = new StreamFixture(auditStream('prepared-audit'));
      const db = new StreamFixture(dockerStream(container('prep-db', 'w1a2b3', 'db')));
      const written = [
        cp.cpLine({ cid: c, time: T0, msg: 'wok resolved', wok: 'w1a2b3' }),
        db.pg({ time: T0 + 3, severity: 'ERROR', message: 'relation "missing_table" does not exist', cid: c }),
        cp.request({ cid: c, time: T0 + 9, method: 'POST', url: '/v1/woks/w1a2b3/sql', status: 500, code: 'CP_EXEC_FAILED', message: 'exec_sql failed', responseTime: 9.5, org: 'acme' }),
        au.audit({ cid: c, time: T0 + 10, wok: 'w1a2b3', action: 'wok.restart', outcome: 'failure' }),
      ];
      const garbage = cp.garbage('not a log line');
      const r = await cur.store.writePrepared(prepareBatch({ streams: [cp.batch(), au.batch(), db.batch()] }));
      expect(r).toEqual({ events: 4, unparsed: 1, duplicate: false });
      expect(await cur.store.eventsByCid(c)).toEqual(written);
      expect((await cur.store.unparsed()).items).toEqual([garbage]);
      expect(await cur.store.checkpoint(cp.key)).toMatchObject({ stream: cp.key, offset: cp.offset, line: 3, lastTime: T0 + 9, unparsed: 1 });
      expect(await cur.store.checkpoint(au.key)).toMatchObject({ offset: au.offset, line: 1 });
      const found = await cur.store.search({ limit: 10 });
      expect(found.items).toMatchObject([{ cid: c, status: 500, code: 'CP_EXEC_FAILED', org: 'acme', wok: 'w1a2b3', method: 'POST' }]);
      const window = { from: T0 - 60_000, to: T0 + 60_000 };
      expect(await cur.store.wokChanges(window)).toMatchObject([{ cid: c, action: 'wok.restart', outcome: 'failure', wok: 'w1a2b3' }]);
      expect((await cur.store.containers('w1a2b3')).map((x) => x.id)).toEqual([db.info.container!.id]);
      expect((await cur.store.stats()).events).toEqual({ cp: 2, container: 1, audit: 1 });
    });

    it('a prepared batch sent again stores nothing twice and answers a duplicate; the counters and checkpoint stay', async () => {
      const { s, cids } = requests('resent', 12);
      s.garbage('junk');
      const prepared = prepareBatch({ streams: [s.batch()] });
      expect(await cur.store.writePrepared(prepared)).toEqual({ events: 24, unparsed: 1, duplicate: false });
      // The stream's row as read, but when it was last written.
      const row = async () => (await cur.store.streams()).map(({ updatedAt: _, ...rest }) => rest);
      const before = await row();
      expect(await cur.store.writePrepared(prepared)).toEqual({ events: 0, unparsed: 0, duplicate: true });
      expect(await row()).toEqual(before);
      expect(before).toMatchObject([{ stream: s.key, events: 24, unparsed: 1, offset: s.offset }]);
      for (const c of cids) expect(await cur.store.eventsByCid(c)).toHaveLength(2);
      expect((await cur.store.search({ limit: 100 })).items.map((x) => x.cid).sort()).toEqual([...cids].sort());
      expect((await cur.store.stats()).events.cp).toBe(24);
      expect((await cur.store.unparsed()).items).toHaveLength(1);
    });

    it("a stream's pieces in one batch each carry their checkpoint; a piece re-read across stored lines stores only the new ones", async () => {
      const { s, cids } = requests('pieces', 10);
      const all = s.batch();
      const at = (i: number) => offsetOf(all.events[i]!.id);
      const piece = (from: number, to: number, o: Parameters<typeof checkpoint>[2]): StreamBatch => ({
        ...all,
        events: all.events.slice(from, to),
        unparsed: [],
        checkpoint: checkpoint(s.key, to < all.events.length ? at(to) : s.offset, o),
      });
      // Two pieces as the bulk writer commits them: lines 0..7, then 8..13, one transaction.
      const r = await cur.store.writePrepared(prepareBatch({ streams: [piece(0, 8, { line: 8, lastTime: T0 + 3005 }), piece(8, 14, { line: 14, lastTime: T0 + 6005 })] }));
      expect(r).toEqual({ events: 14, unparsed: 0, duplicate: false });
      expect(await cur.store.checkpoint(s.key)).toMatchObject({ offset: at(14), line: 14, lastTime: T0 + 6005 });
      // A crash before the commit was known: the first piece again moves nothing back.
      expect(await cur.store.writePrepared(prepareBatch({ streams: [piece(0, 8, { line: 8, lastTime: T0 + 3005 })] }))).toEqual({ events: 0, unparsed: 0, duplicate: true });
      expect(await cur.store.checkpoint(s.key)).toMatchObject({ offset: at(14), line: 14 });
      // A re-read from line 10 to the end: its blocks hold lines stored already, only 14..19 are new.
      expect(await cur.store.writePrepared(prepareBatch({ streams: [piece(10, 20, { line: 20, lastTime: T0 + 9005 })] }))).toEqual({ events: 6, unparsed: 0, duplicate: false });
      expect(await cur.store.checkpoint(s.key)).toMatchObject({ offset: s.offset, line: 20, lastTime: T0 + 9005 });
      expect(await cur.store.streams()).toMatchObject([{ stream: s.key, events: 20 }]);
      for (const c of cids) expect(await cur.store.eventsByCid(c)).toHaveLength(2);
      expect((await cur.store.stats()).events.cp).toBe(20);
    });

    it('a prepared batch under an idempotency key is written once; another batch under the key is refused', async () => {
      const { s } = requests('idem-prepared', 3);
      const idempotency = { key: 'prep-key-1', digest: 'd1' };
      const prepared = prepareBatch({ streams: [s.batch()], idempotency });
      expect(await cur.store.writePrepared(prepared)).toEqual({ events: 6, unparsed: 0, duplicate: false });
      expect(await cur.store.writePrepared(prepared)).toEqual({ events: 6, unparsed: 0, duplicate: true });
      s.cpLine({ cid: cid('idem-other'), time: T0 + 60_000, msg: 'late' });
      await expect(cur.store.writePrepared(prepareBatch({ streams: [s.batch()], idempotency: { key: 'prep-key-1', digest: 'd2' } }))).rejects.toBeInstanceOf(IdempotencyConflict);
      expect((await cur.store.stats()).events.cp).toBe(6);
    });

    it('runs a bulk session around writes, answering what they answer, and bounds what it is handed, if at all, sensibly', async () => {
      const { s } = requests('session', 2);
      const prepared = prepareBatch({ streams: [s.batch()] });
      const r = await cur.store.bulkSession(() => cur.store.writePrepared(prepared));
      expect(r).toEqual({ events: 4, unparsed: 0, duplicate: false });
      await expect(cur.store.bulkSession(async () => Promise.reject(new Error('the run failed')))).rejects.toThrow('the run failed');
      // The store is as usable after a session as before it.
      expect((await cur.store.stats()).events.cp).toBe(4);
      const limits = cur.store.bulkLimits();
      if (limits) {
        expect(limits.pieceLines).toBeGreaterThan(0);
        expect(limits.commitLines).toBeGreaterThanOrEqual(limits.pieceLines);
      }
    });
  });
}
