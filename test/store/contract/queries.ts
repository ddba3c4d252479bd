/** Reads by correlation id, container windows and tails, unparsed paging, stats. */
import { describe, expect, it } from 'vitest';
import { CursorError } from '../../../src/store/cursor.js';
import { auditStream, cid, container, cpStream, dockerStream, MINUTE, StreamFixture, T0 } from '../../fixtures/events.js';
import type { MakeStore } from '../contract.js';
import { useStore } from './harness.js';

const WOK = 'w1a2b3';

export function queriesContract(make: MakeStore): void {
  describe('reads', () => {
    const cur = useStore(make);

    it('eventsByCid joins every source in time order, cp first on equal times, then by stream and offset', async () => {
      const c = cid('join');
      const cpA = new StreamFixture(cpStream('a'));
      const cpB = new StreamFixture(cpStream('b'));
      const au = new StreamFixture(auditStream());
      const db = new StreamFixture(dockerStream(container('db', WOK, 'db')));
      const e = {
        audit: au.audit({ cid: c, time: T0 + 20, wok: WOK }),
        pg: db.pg({ time: T0 + 10, severity: 'ERROR', message: 'relation "missing_table" does not exist', cid: c }),
        pgSame: db.pg({ time: T0 + 15, severity: 'STATEMENT', message: 'select * from missing_table', cid: c }),
        b1: cpB.cpLine({ cid: c, time: T0 + 15, msg: 'exec_sql failed' }),
        a1: cpA.cpLine({ cid: c, time: T0, msg: 'wok resolved', wok: WOK }),
        a2: cpA.cpLine({ cid: c, time: T0 + 15, msg: 'calling db' }),
        a3: cpA.request({ cid: c, time: T0 + 25, method: 'POST', url: `/v1/woks/${WOK}/sql`, status: 500, code: 'CP_EXEC_FAILED' }),
      };
      // Noise: another request, and a line that mentions the id in its text without carrying it.
      cpA.cpLine({ cid: cid('other'), time: T0 + 16, msg: 'unrelated' });
      cpA.cpLine({ time: T0 + 17, msg: `operator looked up ${c}` });
      // Written out of order: audit first, then the container, then the cp streams.
      await cur.store.writeBatch({ streams: [au.batch()] });
      await cur.store.writeBatch({ streams: [db.batch()] });
      await cur.store.writeBatch({ streams: [cpB.batch(), cpA.batch()] });
      const [a, b] = cpA.key < cpB.key ? [e.a2, e.b1] : [e.b1, e.a2];
      expect(await cur.store.eventsByCid(c)).toEqual([e.a1, e.pg, a, b, e.pgSame, e.audit, e.a3]);
      expect(await cur.store.eventsByCid(cid('nobody'))).toEqual([]);
    });

    it('eventsByCids: each id\'s events as eventsByCid gives them, read together; unknown ids empty; a field named c is no id', async () => {
      const cp = new StreamFixture(cpStream('many'));
      const au = new StreamFixture(auditStream());
      const ids = Array.from({ length: 12 }, (_, i) => cid(`many-${i}`));
      ids.forEach((c, i) => {
        cp.cpLine({ cid: c, time: T0 + i * 10, msg: 'wok resolved', wok: WOK });
        cp.request({ cid: c, time: T0 + i * 10 + 5, status: i % 3 ? 200 : 502, ...(i % 3 ? {} : { code: 'CP_EXEC_SQL_FAILED' }) });
        if (i % 2) au.audit({ cid: c, time: T0 + i * 10 + 2, wok: WOK });
      });
      // Lines without an id whose fields name one of them, by the key the store writes ids under and by its own.
      cp.cpLine({ time: T0 + 3, msg: 'noise', extra: { a: 1, c: ids[0], nested: { b: 2, c: ids[1] } } });
      cp.cpLine({ time: T0 + 4, msg: `"c":"${ids[2]}" in the text`, extra: { a: 1, c: ids[2] } });
      await cur.store.writeBatch({ streams: [cp.batch()] });
      await cur.store.writeBatch({ streams: [au.batch()] });
      const asked = [...ids, cid('nobody'), ids[3]!];
      const got = await cur.store.eventsByCids(asked);
      expect([...got.keys()].sort()).toEqual([...new Set(asked)].sort());
      for (const c of new Set(asked)) expect([c, got.get(c)]).toEqual([c, await cur.store.eventsByCid(c)]);
      expect(got.get(cid('nobody'))).toEqual([]);
      expect(got.get(ids[1]!)!.length).toBe(3);
      expect((await cur.store.eventsByCids([])).size).toBe(0);
    });

    it('keeps each line\'s own container when the labels on a Docker stream change between lines', async () => {
      const base = container('relabel', WOK, 'functions');
      const s = new StreamFixture(dockerStream(base));
      const c = cid('relabel');
      const a = s.fn({ time: T0, msg: 'before the rename', cid: c });
      const b = s.fn({ time: T0 + 1, msg: 'after the rename', cid: c });
      // What StreamParser makes of per-line `attrs` that rename the container.
      b.container = { ...base, name: 'wok-w1a2b3-functions-blue' };
      await cur.store.writeBatch({ streams: [s.batch()] });
      expect(await cur.store.eventsByCid(c)).toEqual([a, b]);
      expect((await cur.store.containers(WOK))[0]?.name).toBe('wok-w1a2b3-functions-blue');
    });

    it('containerEvents: a wok\'s container lines in the window, inclusive, notable filter, newest `limit` in time order', async () => {
      const db = new StreamFixture(dockerStream(container('db', WOK, 'db')));
      const fn = new StreamFixture(dockerStream(container('fn', WOK, 'functions')));
      const other = new StreamFixture(dockerStream(container('db2', 'w7z7z7', 'db')));
      const cp = new StreamFixture(cpStream());
      const before = db.pg({ time: T0 - 1, severity: 'ERROR', message: 'before the window' });
      const stop = db.pg({ time: T0, message: 'received fast shutdown request' });
      const chk = db.pg({ time: T0 + 1000, message: 'checkpoint starting: shutdown immediate' });
      const down = db.pg({ time: T0 + 2000, message: 'database system is shut down' });
      const call = fn.fn({ time: T0 + 2500, msg: 'invoking handler', cid: cid('x') });
      const refused = fn.fn({ time: T0 + 3000, level: 50, msg: 'connect ECONNREFUSED 10.0.0.5:5432', cid: cid('x') });
      const warn = fn.fn({ time: T0 + 4000, level: 40, msg: 'slow query' });
      const up = db.pg({ time: T0 + 5000, message: 'database system is ready to accept connections' });
      const after = db.pg({ time: T0 + 5001, severity: 'ERROR', message: 'after the window' });
      other.pg({ time: T0 + 1000, severity: 'ERROR', message: 'another wok' });
      cp.cpLine({ time: T0 + 1000, level: 50, msg: 'exec_sql failed', wok: WOK, cid: cid('x') });
      await cur.store.writeBatch({ streams: [db.batch(), fn.batch(), other.batch(), cp.batch()] });
      const window = { wok: WOK, from: T0, to: T0 + 5000 };
      expect(await cur.store.containerEvents({ ...window, limit: 100 })).toEqual([stop, chk, down, call, refused, warn, up]);
      expect(await cur.store.containerEvents({ ...window, limit: 100, notable: true })).toEqual([stop, down, refused, warn, up]);
      expect(await cur.store.containerEvents({ ...window, limit: 2, notable: true })).toEqual([warn, up]);
      expect(await cur.store.containerEvents({ ...window, limit: 3 })).toEqual([refused, warn, up]);
      expect(await cur.store.containerEvents({ wok: WOK, from: T0 - 1, to: T0 - 1, limit: 10 })).toEqual([before]);
      expect(await cur.store.containerEvents({ wok: WOK, from: T0 + 5001, to: T0 + 9000, limit: 10 })).toEqual([after]);
      expect(await cur.store.containerEvents({ wok: 'wnothere', from: T0, to: T0 + 5000, limit: 10 })).toEqual([]);
    });

    it('containerEvents keeps the newest lines of a window that holds thousands of separately written stretches', async () => {
      const db = new StreamFixture(dockerStream(container('db', WOK, 'db')));
      const all = [];
      // Lines 16 minutes apart: no two of them belong together.
      for (let i = 0; i < 2100; i++) all.push(db.pg({ time: T0 + i * 16 * MINUTE, severity: 'WARNING', message: `autovacuum lagging ${i}` }));
      await cur.store.writeBatch({ streams: [db.batch()] });
      const got = await cur.store.containerEvents({ wok: WOK, from: T0, to: T0 + 2100 * 16 * MINUTE, limit: 5, notable: true });
      expect(got).toEqual(all.slice(-5));
    });

    it('containerTail: the newest lines of one container in time order, across many small writes', async () => {
      const ref = container('tail', WOK, 'functions');
      const fn = new StreamFixture(dockerStream(ref));
      const rotated = new StreamFixture(dockerStream(ref, 1));
      const otherFn = new StreamFixture(dockerStream(container('tail2', WOK, 'functions')));
      const old = rotated.fn({ time: T0 - MINUTE, msg: 'from the rotated file' });
      await cur.store.writeBatch({ streams: [rotated.batch()] });
      const lines = [];
      for (let b = 0; b < 6; b++) {
        for (let i = 0; i < 3; i++) lines.push(fn.fn({ time: T0 + b * 1000 + i, msg: `line ${b}.${i}` }));
        otherFn.fn({ time: T0 + b * 1000 + 500, msg: 'other container' });
        await cur.store.writeBatch({ streams: [fn.batch(), otherFn.batch()] });
      }
      expect(await cur.store.containerTail(ref.id, 10)).toEqual(lines.slice(-10));
      expect(await cur.store.containerTail(ref.id, 100)).toEqual([old, ...lines]);
      expect(await cur.store.containerTail('f'.repeat(64), 10)).toEqual([]);
    });

    it('unparsed: newest first, paged by cursor without gaps or repeats; a malformed cursor is refused', async () => {
      const a = new StreamFixture(cpStream('ua'));
      const b = new StreamFixture(auditStream('ub'));
      const written = [];
      for (let i = 0; i < 7; i++) {
        const s = i % 2 ? b : a;
        s.cpLine({ time: T0 + i, msg: 'fine' });
        written.push(s.garbage(`garbage line ${i} \u001b[31m`, T0 + i));
        await cur.store.writeBatch({ streams: [s.batch()] });
      }
      const seen = [];
      let cursor: string | null = null;
      const sizes = [];
      do {
        const page: Awaited<ReturnType<typeof cur.store.unparsed>> = await cur.store.unparsed(cursor, 3);
        sizes.push(page.items.length);
        seen.push(...page.items);
        cursor = page.next;
      } while (cursor);
      expect(sizes).toEqual([3, 3, 1]);
      expect(seen).toEqual([...written].reverse());
      expect((await cur.store.unparsed(null, 100)).next).toBeNull();
      await expect(cur.store.unparsed('not-a-cursor', 3)).rejects.toBeInstanceOf(CursorError);
      await expect(cur.store.unparsed(Buffer.from('12.x').toString('base64url'), 3)).rejects.toBeInstanceOf(CursorError);
    });

    it('stats: events per source, unparsed lines, distinct correlation ids, requests, and every stream', async () => {
      const cp = new StreamFixture(cpStream());
      const au = new StreamFixture(auditStream());
      const ref = container('st', WOK, 'db');
      const db = new StreamFixture(dockerStream(ref));
      cp.request({ cid: cid(1), time: T0 });
      cp.request({ cid: cid(2), time: T0 + 1, status: 404, code: 'CP_ROUTE_NOT_FOUND' });
      cp.cpLine({ time: T0 + 2, msg: 'listening' });
      cp.garbage('???');
      au.audit({ cid: cid(1), time: T0 + 3 });
      au.audit({ cid: cid(3), time: T0 + 4 });
      db.pg({ time: T0 + 5, message: 'checkpoint complete' });
      db.pg({ time: T0 + 6, severity: 'ERROR', message: 'boom', cid: cid(4) });
      db.garbage('{"log": truncated');
      await cur.store.writeBatch({ streams: [cp.batch(), au.batch()] });
      await cur.store.writeBatch({ streams: [db.batch()] });
      const st = await cur.store.stats();
      expect(st).toMatchObject({ events: { cp: 3, audit: 2, container: 2 }, unparsed: 2, correlationIds: 4, requests: 2 });
      const byKey = new Map(st.streams.map((s) => [s.stream, s]));
      expect(st.streams).toHaveLength(3);
      expect(byKey.get(cp.key)).toMatchObject({ kind: 'file', path: cp.info.path, source: 'cp', containerId: null, offset: cp.offset, line: 4, events: 3, unparsed: 1, lastTime: T0 + 2 });
      expect(byKey.get(db.key)).toMatchObject({ kind: 'docker', path: db.info.path, source: 'container', containerId: ref.id, offset: db.offset, events: 2, unparsed: 1 });
      expect(byKey.get(au.key)).toMatchObject({ events: 2, unparsed: 0 });
      for (const s of st.streams) expect(typeof s.updatedAt).toBe('number');
      // Streams are listed by path.
      expect(st.streams.map((s) => s.path)).toEqual([...st.streams.map((s) => s.path)].sort());
    });

    it('streams: every stream\'s checkpoint and counters, exactly as stats lists them — pathless (pushed) streams first', async () => {
      expect(await cur.store.streams()).toEqual([]);
      const cp = new StreamFixture(cpStream('z'));
      const au = new StreamFixture(auditStream('a'));
      const push = new StreamFixture({ key: 'push0000000000000000000000000001', kind: 'push', path: null, container: null, source: null });
      cp.request({ cid: cid('s1'), time: T0 });
      cp.garbage('???');
      au.audit({ cid: cid('s1'), time: T0 + 7 });
      push.cpLine({ cid: cid('s2'), time: T0 + 9, msg: 'pushed' });
      await cur.store.writeBatch({ streams: [cp.batch(), au.batch(), push.batch()] });
      const streams = await cur.store.streams();
      expect(streams.map((s) => s.path)).toEqual([null, au.info.path, cp.info.path]);
      expect(streams[0]).toMatchObject({ stream: push.key, kind: 'push', source: null, events: 1, lastTime: T0 + 9 });
      expect(streams[1]).toMatchObject({ stream: au.key, kind: 'file', source: 'audit', offset: au.offset, line: 1, events: 1, unparsed: 0, lastTime: T0 + 7 });
      expect(streams[2]).toMatchObject({ stream: cp.key, offset: cp.offset, line: 2, events: 1, unparsed: 1, lastTime: T0 });
      expect(streams).toEqual((await cur.store.stats()).streams);
    });
  });
}
