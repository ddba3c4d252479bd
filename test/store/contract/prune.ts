/** Retention: old events go from every read, new ones stay; and close. */
import { describe, expect, it } from 'vitest';
import { auditStream, cid, container, cpStream, DAY, dockerStream, StreamFixture, T0 } from '../../fixtures/events.js';
import type { MakeStore } from '../contract.js';
import { useStore } from './harness.js';

const WOK = 'wacme1';

export function pruneContract(make: MakeStore): void {
  describe('prune and close', () => {
    const cur = useStore(make);

    it('prune removes what is older than the cutoff from every read and keeps the rest', async () => {
      const cp = new StreamFixture(cpStream());
      const au = new StreamFixture(auditStream());
      const ref = container('prune-db', WOK, 'db');
      const db = new StreamFixture(dockerStream(ref));
      const oldRef = container('prune-gone', 'wacme9', 'db');
      const gone = new StreamFixture(dockerStream(oldRef));
      const write = async (day: number, tag: string, n: number) => {
        const t = T0 + day * DAY;
        for (let i = 0; i < n; i++) {
          const c = cid(`${tag}-${i}`);
          cp.cpLine({ cid: c, time: t + i * 10, msg: 'wok resolved', wok: WOK });
          db.pg({ time: t + i * 10 + 1, severity: 'ERROR', message: `relation "t${i}" does not exist`, cid: c });
          au.audit({ cid: c, time: t + i * 10 + 2, wok: WOK, org: 'acme' });
          cp.request({ cid: c, time: t + i * 10 + 3, url: `/v1/woks/${WOK}/sql`, method: 'POST', status: 500, code: 'CP_EXEC_FAILED', org: 'acme', responseTime: 1 });
        }
        db.pg({ time: t + 5, message: 'database system is shut down' });
        cp.garbage(`junk of day ${day}`, t);
        await cur.store.writeBatch({ streams: [cp.batch(), au.batch(), db.batch()] });
      };
      gone.pg({ time: T0, message: 'database system is ready to accept connections' });
      await cur.store.writeBatch({ streams: [gone.batch()] });
      await write(0, 'old', 30);
      await write(10, 'new', 20);
      const cutoff = T0 + 5 * DAY;
      expect((await cur.store.stats()).events).toEqual({ cp: 100, container: 53, audit: 50 });

      expect((await cur.store.prune(cutoff)).events).toBe(30 * 4 + 1 + 1);
      expect(await cur.store.eventsByCid(cid('old-0'))).toEqual([]);
      expect(await cur.store.eventsByCid(cid('old-29'))).toEqual([]);
      expect(await cur.store.eventsByCid(cid('new-0'))).toHaveLength(4);
      const st = await cur.store.stats();
      expect(st).toMatchObject({ events: { cp: 40, container: 21, audit: 20 }, unparsed: 1, correlationIds: 20, requests: 20 });
      const all = { from: 0, to: T0 + 20 * DAY };
      expect((await cur.store.search({ limit: 500 })).items.map((r) => r.cid).sort()).toEqual(Array.from({ length: 20 }, (_, i) => cid(`new-${i}`)).sort());
      expect(await cur.store.requestCounts(all)).toEqual({ total: 20, failed: 20, byCode: { CP_EXEC_FAILED: 20 } });
      expect(await cur.store.codeCounts(all)).toMatchObject([{ code: 'CP_EXEC_FAILED', count: 20 }]);
      expect(await cur.store.audits({ ...all, limit: 500 })).toHaveLength(20);
      expect((await cur.store.lifecycle(all)).map((r) => r.time)).toEqual([T0 + 10 * DAY + 5]);
      expect(await cur.store.containerEvents({ wok: WOK, ...all, limit: 1000 })).toHaveLength(21);
      expect((await cur.store.containerTail(ref.id, 1000)).every((e) => e.time >= cutoff)).toBe(true);
      expect(await cur.store.containerTail(oldRef.id, 10)).toEqual([]);
      expect(await cur.store.containers('wacme9')).toEqual([]);
      expect(await cur.store.containers(WOK)).toMatchObject([{ ...ref, lastSeen: T0 + 10 * DAY + 191 }]);
      expect((await cur.store.unparsed()).items.map((u) => u.head)).toEqual(['junk of day 10']);
      // Checkpoints stay: a re-read of the pruned range stores nothing again.
      expect((await cur.store.checkpoint(cp.key))?.offset).toBe(cp.offset);
      expect((await cur.store.prune(cutoff)).events).toBe(0);
    });

    it('prune works through more than one bounded batch', async () => {
      const cp = new StreamFixture(cpStream());
      // Lines 16 minutes apart, so that no two of them are stored together anywhere.
      for (let b = 0; b < 3; b++) {
        for (let i = 0; i < 2000; i++) cp.cpLine({ cid: cid(`bulk-${b}-${i}`), time: T0 + (b * 2000 + i) * 16 * 60_000, msg: 'tick' });
        await cur.store.writeBatch({ streams: [cp.batch()] });
      }
      // Old and new lines in one write: the new one stays, the old ones go from every lookup.
      cp.cpLine({ cid: cid('old-in-last'), time: T0 + 89 * DAY, msg: 'old' });
      const keep = cp.cpLine({ cid: cid('keeper'), time: T0 + 100 * DAY, msg: 'kept' });
      await cur.store.writeBatch({ streams: [cp.batch()] });
      expect((await cur.store.prune(T0 + 90 * DAY)).events).toBe(6001);
      expect(await cur.store.eventsByCid(cid('keeper'))).toEqual([keep]);
      expect(await cur.store.eventsByCid(cid('old-in-last'))).toEqual([]);
      expect(await cur.store.eventsByCid(cid('bulk-2-1999'))).toEqual([]);
      expect(await cur.store.stats()).toMatchObject({ events: { cp: 1 }, correlationIds: 1 });
      expect((await cur.store.prune(T0 + 90 * DAY)).events).toBe(0);
      expect((await cur.store.stats()).correlationIds).toBe(1);
    });

    it('retentionCut cuts no later than asked and at most a day earlier, and a prune at it keeps what is newer than asked', async () => {
      const cp = new StreamFixture(cpStream());
      const asked = T0 + 2 * DAY + 7 * 3_600_000;
      for (const t of [T0, asked - 1, asked, asked + DAY]) cp.cpLine({ cid: cid(`cut-${t}`), time: t, msg: 'tick' });
      await cur.store.writeBatch({ streams: [cp.batch()] });
      const cut = cur.store.retentionCut(asked);
      expect(cut).toBeLessThanOrEqual(asked);
      expect(cut).toBeGreaterThan(asked - DAY);
      await cur.store.prune(cut);
      expect(await cur.store.eventsByCid(cid(`cut-${T0}`))).toEqual([]);
      for (const t of [asked, asked + DAY]) expect(await cur.store.eventsByCid(cid(`cut-${t}`))).toHaveLength(1);
    });

    it('close keeps what was written for the next open, may be called twice, and ends use of the store', async () => {
      const cp = new StreamFixture(cpStream());
      const e = cp.request({ cid: cid('persist'), time: T0 });
      await cur.store.writeBatch({ streams: [cp.batch()] });
      const again = await cur.reopen();
      await cur.store.close();
      await cur.store.close();
      await expect(cur.store.eventsByCid(cid('persist'))).rejects.toThrow();
      expect(await again.eventsByCid(cid('persist'))).toEqual([e]);
      expect((await again.checkpoint(cp.key))?.offset).toBe(cp.offset);
    });
  });
}
