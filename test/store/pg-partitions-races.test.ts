/**
 * PostgreSQL's day partitions when something gets in the way: a prune waits
 * out a reader's lock, and steps back rather than deadlock with a reader
 * that takes the event tables in another order; a day left detached by a prune that stopped is dropped
 * by the next; a backlog of days is detached a week at a time; two stores
 * creating one day at once both write; a day dropped under a store that
 * thought it was there is made again on the next write.
 */
import { describe, expect, it } from 'vitest';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { cid, cpStream, DAY, StreamFixture } from '../fixtures/events.js';
import { D0, useDaysScratch } from './pg-days-scratch.js';
import { PG_URL } from './pg-scratch.js';

const s = useDaysScratch();

describe('PostgreSQL day partitions, raced', () => {
  it('prune waits out a read that holds the table longer than its lock timeout, and drops the day after', async () => {
    const cp = new StreamFixture(cpStream('held'));
    cp.request({ cid: cid('held-1'), time: D0 + 5 });
    await s.store.writeBatch({ streams: [cp.batch()] });
    // A reader in a transaction of 3 s: its lock on blocks stays until it ends.
    await s.client.query('BEGIN');
    await s.client.query(`SELECT count(*) FROM "${s.schema}".blocks`);
    const done = new Promise((r) => setTimeout(r, 3000)).then(() => s.client.query('COMMIT'));
    const r = await s.store.prune(D0 + DAY);
    await done;
    expect(r.droppedDays.map((d) => [d.day, d.events])).toEqual([['2026-11-24', 1]]);
  });

  it('a reader holding one event table and asking for another while prune waits: prune steps back before the deadlock detector runs', async () => {
    const ms = (await s.client.query<{ ms: number }>("SELECT setting::int AS ms FROM pg_settings WHERE name = 'deadlock_timeout'")).rows[0]!.ms;
    const cp = new StreamFixture(cpStream('crossed'));
    for (const [first, second] of [['block_cids', 'blocks'], ['blocks', 'block_cids']]) {
      const day = first === 'block_cids' ? 0 : 1;
      cp.request({ cid: cid(`crossed-${day}`), time: D0 + day * DAY + 5 });
      await s.store.writeBatch({ streams: [cp.batch()] });
      // A reader's transaction holds `first`; prune starts and waits for it; then the reader asks for `second`.
      await s.client.query('BEGIN');
      await s.client.query(`SELECT count(*) FROM "${s.schema}".${first}`);
      const pruned = s.store.prune(D0 + (day + 1) * DAY);
      await new Promise((r) => setTimeout(r, 100));
      const asked = performance.now();
      await s.client.query(`SELECT count(*) FROM "${s.schema}".${second}`);
      const waited = performance.now() - asked;
      await s.client.query('COMMIT');
      // Had prune held `second` while waiting for `first` until the deadlock detector ran (deadlock_timeout after it began
      // to wait), the reader would have waited nearly that long, or failed as the victim; prune gives up at 0.4 of it.
      expect(waited, `${first} then ${second}`).toBeLessThan(0.6 * ms);
      expect((await pruned).droppedDays.map((d) => d.day)).toEqual([new Date(D0 + day * DAY).toISOString().slice(0, 10)]);
    }
  });

  it('a day detached by a prune that stopped before dropping it: the next prune drops it, a write to the day makes it again', async () => {
    const cp = new StreamFixture(cpStream('detached'));
    cp.request({ cid: cid('det-0'), time: D0 + 5 });
    cp.request({ cid: cid('det-1'), time: D0 + DAY + 5 });
    await s.store.writeBatch({ streams: [cp.batch()] });
    const tables = ['blocks', 'block_cids', 'requests', 'unparsed', 'audits', 'lifecycle', 'lookups'];
    const detach = async (day: string) => {
      for (const t of tables) await s.client.query(`ALTER TABLE "${s.schema}".${t} DETACH PARTITION "${s.schema}".${t}_d${day}`);
    };
    const leftovers = async () =>
      (await s.client.query(`SELECT relname FROM pg_class WHERE relnamespace = $1::regnamespace AND relkind = 'r' AND NOT relispartition AND relname ~ '_d2026'`, [s.schema])).rows.length;
    await detach('20261124');
    await detach('20261125');
    expect(await leftovers()).toBe(14);
    // A write to the day of a leftover: the day is a partition again, with only the new row.
    const late = cp.request({ cid: cid('det-2'), time: D0 + 9 });
    await s.store.writeBatch({ streams: [cp.batch()] });
    expect(await s.store.eventsByCid(cid('det-2'))).toEqual([late]);
    expect(await s.placement('blocks', 't0')).toEqual([['blocks_d20261124', D0 + 9]]);
    expect(await leftovers()).toBe(7);
    // A prune whose cutoff drops no day still drops what an earlier one left detached.
    expect(await s.store.prune(D0)).toEqual({ events: 0, droppedDays: [] });
    expect(await leftovers()).toBe(0);
  });

  it('lookups copied in from another store, on a day with no partition yet, make it first', async () => {
    const time = Date.parse('2024-03-03T10:00:00Z');
    await s.store.importLookups([{ time, actorKind: 'operator', actor: 'ana@example.com', org: null, kind: 'ticket', target: cid('copied'), address: null }]);
    expect((await s.store.lookups({})).items.map((r) => r.target)).toEqual([cid('copied')]);
    expect(await s.placement('lookups')).toEqual([['lookups_d20240303', time]]);
  });

  it('a week and more of days to drop: detached a week at a time, every day dropped and said', async () => {
    const cp = new StreamFixture(cpStream('backlog'));
    for (let d = 0; d < 16; d++) cp.request({ cid: cid(`bl-${d}`), time: D0 + d * DAY + 5 });
    await s.store.writeBatch({ streams: [cp.batch()] });
    const r = await s.store.prune(D0 + 15 * DAY);
    expect(r.droppedDays.map((d) => [d.day, d.events])).toEqual(Array.from({ length: 15 }, (_, d) => [new Date(D0 + d * DAY).toISOString().slice(0, 10), 1]));
    expect(r.events).toBe(15);
    expect(await s.store.stats()).toMatchObject({ events: { cp: 1 }, requests: 1 });
    // Nothing detached is left behind.
    const left = await s.client.query(
      `SELECT count(*)::int AS n FROM pg_class WHERE relnamespace = $1::regnamespace AND relkind = 'r' AND NOT relispartition AND relname ~ '_d[0-9]{8}$'`,
      [s.schema],
    );
    expect(left.rows[0].n).toBe(0);
    expect(await s.placement('blocks', 't0')).toEqual([['blocks_d20261209', D0 + 15 * DAY + 5]]);
  });

  it('two stores creating the same days at once both write, and each day is made once', async () => {
    const other = await PostgresStore.open({ connectionString: PG_URL, schema: s.schema });
    try {
      const a = new StreamFixture(cpStream('race-a'));
      const b = new StreamFixture(cpStream('race-b'));
      const base = Date.parse('2031-03-01T00:00:00Z');
      for (let d = 0; d < 8; d++) {
        a.request({ cid: cid(`ra${d}`), time: base + d * DAY + 1 });
        b.request({ cid: cid(`rb${d}`), time: base + d * DAY + 2 });
        const [ra, rb] = await Promise.all([s.store.writeBatch({ streams: [a.batch()] }), other.writeBatch({ streams: [b.batch()] })]);
        expect([ra.events, rb.events]).toEqual([1, 1]);
      }
      const n = await s.client.query(`SELECT count(*)::int AS n FROM pg_class WHERE relnamespace = $1::regnamespace AND relkind = 'r' AND relname LIKE 'blocks_d203103%'`, [s.schema]);
      expect(n.rows[0].n).toBe(8);
      expect(await s.store.stats()).toMatchObject({ events: { cp: 16 }, requests: 16 });
    } finally {
      await other.close();
    }
  });

  it('a day dropped by another store is made again when this one writes to it', async () => {
    const other = await PostgresStore.open({ connectionString: PG_URL, schema: s.schema });
    try {
      const cp = new StreamFixture(cpStream('again'));
      cp.request({ cid: cid('again-1'), time: D0 + 5 });
      await s.store.writeBatch({ streams: [cp.batch()] });
      expect((await other.prune(D0 + DAY)).droppedDays.map((d) => d.day)).toEqual(['2026-11-24']);
      // `store` made 2026-11-24 itself and still thinks it is there.
      const late = cp.request({ cid: cid('again-2'), time: D0 + 9 });
      expect(await s.store.writeBatch({ streams: [cp.batch()] })).toMatchObject({ events: 1 });
      expect(await s.store.eventsByCid(cid('again-2'))).toEqual([late]);
      expect(await s.placement('blocks', 't0')).toEqual([['blocks_d20261124', D0 + 9]]);
    } finally {
      await other.close();
    }
  });
});
