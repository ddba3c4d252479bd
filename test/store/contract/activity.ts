/** The wok view's reads (audits, lifecycle, containers) and /diag check history. */
import { describe, expect, it } from 'vitest';
import type { CheckRecord } from '../../../src/model/health.js';
import { auditStream, cid, container, dockerStream, MINUTE, StreamFixture, T0 } from '../../fixtures/events.js';
import type { MakeStore } from '../contract.js';
import { useStore } from './harness.js';

export function activityContract(make: MakeStore): void {
  describe('activity and health', () => {
    const cur = useStore(make);

    it('audits: newest first, by window, wok, org and limit', async () => {
      const s = new StreamFixture(auditStream());
      const a = [
        s.audit({ cid: cid('a1'), time: T0, org: 'acme', wok: 'wacme1', action: 'wok.create' }),
        s.audit({ cid: cid('a2'), time: T0 + 1000, org: 'acme', action: 'key.mint' }),
        s.audit({ cid: cid('a3'), time: T0 + 1000, org: 'globex', wok: 'wglob1', action: 'wok.env.update', outcome: 'denied' }),
        s.audit({ cid: cid('a4'), time: T0 + 2000, org: 'acme', wok: 'wacme1', action: 'wok.destroy', outcome: 'failure' }),
      ];
      await cur.store.writeBatch({ streams: [s.batch()] });
      const rec = (i: number) => ({ eventId: a[i]!.id, time: a[i]!.time, cid: a[i]!.cid, actor: a[i]!.actor, org: a[i]!.org, wok: a[i]!.wok, action: a[i]!.action, outcome: a[i]!.outcome });
      expect(await cur.store.audits({ from: T0, to: T0 + 2000 })).toEqual([rec(3), rec(2), rec(1), rec(0)]);
      expect(await cur.store.audits({ from: T0, to: T0 + 2000, wok: 'wacme1' })).toEqual([rec(3), rec(0)]);
      expect(await cur.store.audits({ from: T0, to: T0 + 2000, org: 'acme', limit: 2 })).toEqual([rec(3), rec(1)]);
      expect(await cur.store.audits({ from: T0 + 1, to: T0 + 1999 })).toEqual([rec(2), rec(1)]);
      expect(rec(2).outcome).toBe('denied');
    });

    it('wokChanges: only the actions that change a wok, by window, wok and org, newest first, and gone with their blocks', async () => {
      const s = new StreamFixture(auditStream());
      const a = [
        s.audit({ cid: cid('c1'), time: T0, org: 'acme', wok: 'wacme1', action: 'wok.restart' }),
        s.audit({ cid: cid('c2'), time: T0 + 500, org: 'acme', wok: 'wacme1', action: 'wok.sql.exec' }),
        s.audit({ cid: cid('c3'), time: T0 + 1000, org: 'acme', wok: 'wacme1', action: 'wok.env.delete', outcome: 'failure' }),
        s.audit({ cid: cid('c4'), time: T0 + 1500, org: 'globex', wok: 'wglob1', action: 'wok.destroy' }),
        s.audit({ cid: cid('c5'), time: T0 + 1600, org: 'acme', action: 'key.revoke' }),
        s.audit({ cid: cid('c6'), time: T0 + 1700, org: 'acme', wok: 'wacme1', action: 'wok.env.set' }),
      ];
      await cur.store.writeBatch({ streams: [s.batch()] });
      const rec = (i: number) => ({ eventId: a[i]!.id, time: a[i]!.time, cid: a[i]!.cid, actor: a[i]!.actor, org: a[i]!.org, wok: a[i]!.wok, action: a[i]!.action, outcome: a[i]!.outcome });
      expect(await cur.store.wokChanges({ from: T0, to: T0 + 2000 })).toEqual([rec(4), rec(3), rec(2), rec(0)]);
      expect(await cur.store.wokChanges({ from: T0, to: T0 + 2000, wok: 'wacme1' })).toEqual([rec(2), rec(0)]);
      expect(await cur.store.wokChanges({ from: T0, to: T0 + 2000, org: 'acme', limit: 2 })).toEqual([rec(4), rec(2)]);
      expect(await cur.store.wokChanges({ from: T0 + 1, to: T0 + 1499 })).toEqual([rec(2)]);
      // Every entry stays in the audit log itself.
      expect((await cur.store.audits({ from: T0, to: T0 + 2000 })).length).toBe(6);
      await cur.store.prune(T0 + 10 * MINUTE);
      expect(await cur.store.wokChanges({ from: T0, to: T0 + 2000 })).toEqual([]);
    });

    it('lifecycle: a container\'s state changes, newest first, named from its container', async () => {
      const ref = container('life', 'wacme1', 'db');
      const db = new StreamFixture(dockerStream(ref));
      const fn = new StreamFixture(dockerStream(container('life-fn', 'wacme2', 'functions')));
      const stop = db.pg({ time: T0, message: 'received fast shutdown request' });
      db.pg({ time: T0 + 10, message: 'checkpoint starting: shutdown immediate' });
      const down = db.pg({ time: T0 + 40, message: 'database system is shut down' });
      const start = db.pg({ time: T0 + MINUTE, message: 'starting PostgreSQL 16.4 on x86_64-pc-linux-musl' });
      const ready = db.pg({ time: T0 + MINUTE + 14, message: 'database system is ready to accept connections' });
      const crash = fn.fn({ time: T0 + 30, level: 60, msg: 'uncaught exception: out of memory' });
      await cur.store.writeBatch({ streams: [db.batch(), fn.batch()] });
      const rec = (e: typeof stop, state: string, r = ref) => ({ eventId: e.id, containerId: r.id, containerName: r.name, wok: r.wok, role: r.role, time: e.time, state, message: e.message });
      expect(await cur.store.lifecycle({ from: T0, to: T0 + 2 * MINUTE, wok: 'wacme1' })).toEqual([
        rec(ready, 'ready'),
        rec(start, 'start'),
        rec(down, 'shutdown'),
        rec(stop, 'stopping'),
      ]);
      const all = await cur.store.lifecycle({ from: T0, to: T0 + 2 * MINUTE, limit: 3 });
      expect(all.map((r) => r.eventId)).toEqual([ready.id, start.id, down.id]);
      expect((await cur.store.lifecycle({ from: T0 + 20, to: T0 + 35 }))[0]).toMatchObject({ eventId: crash.id, state: 'crash', wok: 'wacme2', role: 'functions' });
    });

    it('containers: those seen for a wok, with the first and last time seen', async () => {
      const dbRef = container('c-db', 'wacme1', 'db');
      const fnRef = container('c-fn', 'wacme1', 'functions');
      const db = new StreamFixture(dockerStream(dbRef));
      const fn = new StreamFixture(dockerStream(fnRef));
      const other = new StreamFixture(dockerStream(container('c-other', 'wglob1', 'db')));
      db.pg({ time: T0, message: 'starting PostgreSQL 16.4' });
      db.pg({ time: T0 + 5000, message: 'database system is ready to accept connections' });
      fn.fn({ time: T0 + 100, msg: 'runtime listening on :8080' });
      other.pg({ time: T0, message: 'starting PostgreSQL 16.4' });
      await cur.store.writeBatch({ streams: [db.batch(), fn.batch(), other.batch()] });
      db.pg({ time: T0 + MINUTE, message: 'checkpoint complete' });
      await cur.store.writeBatch({ streams: [db.batch()] });
      expect(await cur.store.containers('wacme1')).toEqual([
        { ...dbRef, firstSeen: T0, lastSeen: T0 + MINUTE },
        { ...fnRef, firstSeen: T0 + 100, lastSeen: T0 + 100 },
      ]);
      expect(await cur.store.containers('wnone')).toEqual([]);
    });

    it('check history: recorded, read oldest first in a window and per check, pruned by age', async () => {
      const recs: CheckRecord[] = [
        { check: 'store', status: 'pass', time: T0, output: null },
        { check: 'cp', status: 'warn', time: T0, output: 'p99 1.8 s over 1 s' },
        { check: 'store', status: 'fail', time: T0 + MINUTE, output: 'database is read-only' },
        { check: 'cp', status: 'pass', time: T0 + 2 * MINUTE, output: null },
      ];
      await cur.store.recordChecks(recs.slice(0, 2));
      await cur.store.recordChecks(recs.slice(2));
      await cur.store.recordChecks([]);
      expect(await cur.store.checkHistory({ from: T0, to: T0 + 2 * MINUTE })).toEqual(recs);
      expect(await cur.store.checkHistory({ from: T0, to: T0 + MINUTE, check: 'store' })).toEqual([recs[0], recs[2]]);
      expect(await cur.store.checkHistory({ from: T0 + 1, to: T0 + MINUTE - 1 })).toEqual([]);
      expect(await cur.store.pruneChecks(T0 + MINUTE)).toBe(2);
      expect(await cur.store.checkHistory({ from: 0, to: T0 + 10 * MINUTE })).toEqual(recs.slice(2));
      expect(await cur.store.pruneChecks(T0 + MINUTE)).toBe(0);
    });
  });
}
