/**
 * PostgreSQL's day partitions: rows land in the partition of their UTC day
 * (midnight on the right side), times outside 2000–2099 in DEFAULT; prune
 * drops the whole days before the cutoff, and of the cutoff's day the blocks
 * that end before it, and keeps the rest; two
 * stores creating one day at once both write; a day dropped under a store
 * that thought it was there is made again on the next write.
 */
import pg from 'pg';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { auditStream, cid, container, cpStream, DAY, dockerStream, StreamFixture } from '../fixtures/events.js';
import { dropSchema, PG_URL, scratchSchemaName } from './pg-scratch.js';

const schemas: string[] = [];
let client: pg.Client;
let schema: string;
let store: PostgresStore;

beforeEach(async () => {
  schema = scratchSchemaName('days');
  schemas.push(schema);
  store = await PostgresStore.open({ connectionString: PG_URL, schema });
  client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
});

afterEach(async () => {
  await store.close();
  await client.end();
});

afterAll(async () => {
  for (const s of schemas) await dropSchema(s);
});

/** Midnight UTC of 2026-11-24 … and its neighbours. */
const D0 = Date.parse('2026-11-24T00:00:00.000Z');

/** The partition each row of a table sits in, by time. */
async function placement(table: string, column = 'time'): Promise<[string, number][]> {
  const r = await client.query<{ part: string; t: string }>(`SELECT tableoid::regclass::text AS part, ${column} AS t FROM "${schema}".${table} ORDER BY ${column}`);
  return r.rows.map((x) => [x.part.replace(`${schema}.`, ""), Number(x.t)]);
}

/** The partitions of a table named for days of November 2026 (those made ahead for today left out). */
async function novemberPartitions(table: string): Promise<string[]> {
  const r = await client.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
     WHERE p.relnamespace = $1::regnamespace AND p.relname = $2 AND c.relname LIKE $3 ORDER BY 1`,
    [schema, table, `${table}_d202611%`],
  );
  return r.rows.map((x) => x.name);
}

describe('PostgreSQL day partitions', () => {
  it('puts each row in the partition of its UTC day, midnight on the new day, and far times in DEFAULT', async () => {
    const cp = new StreamFixture(cpStream('days'));
    const au = new StreamFixture(auditStream('days-audit'));
    const db = new StreamFixture(dockerStream(container('days-db', 'wacme1', 'db')));
    const times = [D0 + DAY - 1, D0 + DAY, D0 + 2 * DAY - 1, D0 + 2 * DAY, D0 + 3 * DAY + 5];
    times.forEach((t, i) => {
      cp.request({ cid: cid(`d${i}`), time: t, status: 500, code: 'CP_EXEC_FAILED' });
      au.audit({ cid: cid(`d${i}`), time: t, wok: 'wacme1', org: 'acme' });
      db.pg({ time: t, message: 'database system is shut down' });
    });
    cp.cpLine({ cid: cid('epoch'), time: 0, msg: 'clock not set' });
    cp.cpLine({ cid: cid('far'), time: Date.parse('2400-01-01T00:00:00Z'), msg: 'clock far ahead' });
    await store.writeBatch({ streams: [cp.batch(), au.batch(), db.batch()] });
    await store.recordLookup({ time: D0 + DAY, actorKind: 'operator', actor: 'ana@example.com', org: null, kind: 'ticket', target: cid('d1'), address: null });
    await store.recordChecks([{ check: 'store', status: 'pass', time: D0 + 2 * DAY - 1, output: null }]);

    const day = (d: number) => `_d202611${24 + d}`;
    // Lines hours apart or on other days never share a block: a block each, in the partition of its first time.
    expect(await placement('blocks', 't0')).toEqual([
      ['blocks_default', 0],
      ...times.flatMap((t, i) => {
        const p = `blocks${day([0, 1, 1, 2, 3][i]!)}`;
        // A request line, its audit line and the container line, all at t.
        return [[p, t], [p, t], [p, t]] as [string, number][];
      }),
      ['blocks_default', Date.parse('2400-01-01T00:00:00Z')],
    ]);
    expect((await placement('block_cids', 't0')).filter(([p]) => p !== 'block_cids_default').map(([p]) => p.slice(-2))).toEqual(
      times.flatMap((_, i) => [day([0, 1, 1, 2, 3][i]!).slice(-2), day([0, 1, 1, 2, 3][i]!).slice(-2)]),
    );
    expect(await placement('requests', 'event_time')).toEqual(times.map((t, i) => [`requests${day([0, 1, 1, 2, 3][i]!)}`, t]));
    expect(await placement('audits')).toEqual(times.map((t, i) => [`audits${day([0, 1, 1, 2, 3][i]!)}`, t]));
    expect(await placement('lifecycle')).toEqual(times.map((t, i) => [`lifecycle${day([0, 1, 1, 2, 3][i]!)}`, t]));
    expect(await placement('lookups')).toEqual([[`lookups${day(1)}`, D0 + DAY]]);
    expect(await placement('checks')).toEqual([[`checks${day(1)}`, D0 + 2 * DAY - 1]]);
    // Every table has the days any row was written on (a write makes them for all tables at once).
    for (const t of ['blocks', 'block_cids', 'requests', 'unparsed', 'audits', 'lifecycle', 'lookups', 'checks']) {
      expect(await novemberPartitions(t)).toEqual([24, 25, 26, 27].map((d) => `${t}_d202611${d}`));
    }
    // Made ahead at open: today and the next two days.
    const today = new Date().toISOString().slice(0, 10).replaceAll('-', '');
    const ahead = await client.query(`SELECT to_regclass($1) AS a, to_regclass($2) AS b`, [`"${schema}".blocks_d${today}`, `"${schema}".requests_d${today}`]);
    expect(ahead.rows[0]).toEqual({ a: `${schema}.blocks_d${today}`, b: `${schema}.requests_d${today}` });
    // DEFAULT refuses a row of an ordinary day.
    await expect(
      client.query(`INSERT INTO "${schema}".blocks_default (stream, off0, off1, t0, t1, source, n, notable, data) VALUES (1, 1, 1, $1, $1, 0, 1, 0, '\\x00')`, [D0]),
    ).rejects.toThrow(/blocks_default_outside/);
    await expect(client.query(`INSERT INTO "${schema}".block_cids_default (cid, t0, stream, off0) VALUES ('x', $1, 1, 1)`, [D0])).rejects.toThrow(/block_cids_default_outside/);
  });

  it('prune drops exactly the whole days before the cutoff, says which, and keeps the tickets of the others', async () => {
    const cp = new StreamFixture(cpStream('prune-days'));
    const db = new StreamFixture(dockerStream(container('prune-days-db', 'wacme1', 'db')));
    const written = new Map<string, unknown[]>();
    for (let d = 0; d < 5; d++) {
      for (let i = 0; i < 3 + d; i++) {
        const c = cid(`p${d}-${i}`);
        written.set(c, [cp.request({ cid: c, time: D0 + d * DAY + i * 1000, status: 500, code: 'CP_EXEC_FAILED' })]);
      }
      db.pg({ time: D0 + d * DAY + 7, message: 'database system is shut down' });
      cp.garbage(`junk of day ${d}`, D0 + d * DAY + 9);
      await store.writeBatch({ streams: [cp.batch(), db.batch()] });
    }
    const before = (await store.stats()).events;
    expect(before).toEqual({ cp: 3 + 4 + 5 + 6 + 7, container: 5, audit: 0 });

    // A cutoff inside day 3: days 0–2 go whole; of day 3, the blocks whose last line is before the cutoff (its
    // container line's), and the request rows before it; its cp block ends after the cutoff and stays whole.
    const r = await store.prune(D0 + 3 * DAY + 1500);
    expect(r.droppedDays.map((d) => [d.day, d.events, d.partitions.length])).toEqual([
      ['2026-11-24', 4, 7],
      ['2026-11-25', 5, 7],
      ['2026-11-26', 6, 7],
    ]);
    expect(r.droppedDays[0]!.partitions).toEqual(expect.arrayContaining(['blocks_d20261124', 'block_cids_d20261124']));
    expect(r.events).toBe(15 + 1);
    for (const t of ['blocks', 'block_cids', 'requests', 'unparsed', 'audits', 'lifecycle', 'lookups']) {
      expect(await novemberPartitions(t)).toEqual([`${t}_d20261127`, `${t}_d20261128`]);
    }
    expect(await novemberPartitions('checks')).toHaveLength(5);
    for (const [c, events] of written) {
      const kept = (events as { time: number }[]).every((e) => e.time >= D0 + 3 * DAY);
      expect(await store.eventsByCid(c)).toEqual(kept ? events : []);
    }
    expect(await store.stats()).toMatchObject({ events: { cp: 6 + 7, container: 1, audit: 0 }, requests: 4 + 7, unparsed: 1 });
    const counted = await client.query(`SELECT day::int, source, events::int FROM "${schema}".event_days ORDER BY 1, 2`);
    expect(counted.rows).toEqual([
      { day: D0 / DAY + 3, source: 0, events: 6 },
      { day: D0 / DAY + 3, source: 1, events: 0 },
      { day: D0 / DAY + 4, source: 0, events: 7 },
      { day: D0 / DAY + 4, source: 1, events: 1 },
    ]);
    // Again at the same cutoff: nothing more.
    expect(await store.prune(D0 + 3 * DAY + 1500)).toEqual({ events: 0, droppedDays: [] });
    // Retention cuts at a midnight: day 3 dropped whole, nothing of day 4 touched.
    const cut = store.retentionCut(D0 + 4 * DAY + 12 * 3_600_000);
    expect(cut).toBe(D0 + 4 * DAY);
    const r2 = await store.prune(cut);
    expect(r2).toMatchObject({ events: 6, droppedDays: [{ day: '2026-11-27', events: 6 }] });
    expect(await store.stats()).toMatchObject({ events: { cp: 7, container: 1 }, requests: 7, unparsed: 1 });
  });

  it('health history: pruneChecks drops its whole days, counting their rows, and deletes the rest before the cutoff', async () => {
    const recs = [0, 1, 2].flatMap((d) => [
      { check: 'store', status: 'pass' as const, time: D0 + d * DAY + 5, output: null },
      { check: 'cp', status: 'warn' as const, time: D0 + d * DAY + 6, output: 'p99 1.8 s over 1 s' },
    ]);
    await store.recordChecks(recs);
    expect(await novemberPartitions('checks')).toEqual(['checks_d20261124', 'checks_d20261125', 'checks_d20261126']);
    expect(await store.pruneChecks(D0 + 2 * DAY + 6)).toBe(5);
    expect(await novemberPartitions('checks')).toEqual(['checks_d20261126']);
    // The events' days are not the health history's to drop.
    expect(await novemberPartitions('blocks')).toEqual(['blocks_d20261124', 'blocks_d20261125', 'blocks_d20261126']);
    expect(await store.checkHistory({ from: 0, to: D0 + 3 * DAY })).toEqual([recs[5]]);
  });

  it('prune waits out a read that holds the table longer than its lock timeout, and drops the day after', async () => {
    const cp = new StreamFixture(cpStream('held'));
    cp.request({ cid: cid('held-1'), time: D0 + 5 });
    await store.writeBatch({ streams: [cp.batch()] });
    // A reader in a transaction of 3 s: its lock on blocks stays until it ends.
    await client.query('BEGIN');
    await client.query(`SELECT count(*) FROM "${schema}".blocks`);
    const done = new Promise((r) => setTimeout(r, 3000)).then(() => client.query('COMMIT'));
    const r = await store.prune(D0 + DAY);
    await done;
    expect(r.droppedDays.map((d) => [d.day, d.events])).toEqual([['2026-11-24', 1]]);
  });

  it('a day detached by a prune that stopped before dropping it: the next prune drops it, a write to the day makes it again', async () => {
    const cp = new StreamFixture(cpStream('detached'));
    cp.request({ cid: cid('det-0'), time: D0 + 5 });
    cp.request({ cid: cid('det-1'), time: D0 + DAY + 5 });
    await store.writeBatch({ streams: [cp.batch()] });
    const tables = ['blocks', 'block_cids', 'requests', 'unparsed', 'audits', 'lifecycle', 'lookups'];
    const detach = async (day: string) => {
      for (const t of tables) await client.query(`ALTER TABLE "${schema}".${t} DETACH PARTITION "${schema}".${t}_d${day}`);
    };
    const leftovers = async () =>
      (await client.query(`SELECT relname FROM pg_class WHERE relnamespace = $1::regnamespace AND relkind = 'r' AND NOT relispartition AND relname ~ '_d2026'`, [schema])).rows.length;
    await detach('20261124');
    await detach('20261125');
    expect(await leftovers()).toBe(14);
    // A write to the day of a leftover: the day is a partition again, with only the new row.
    const late = cp.request({ cid: cid('det-2'), time: D0 + 9 });
    await store.writeBatch({ streams: [cp.batch()] });
    expect(await store.eventsByCid(cid('det-2'))).toEqual([late]);
    expect(await placement('blocks', 't0')).toEqual([['blocks_d20261124', D0 + 9]]);
    expect(await leftovers()).toBe(7);
    // A prune whose cutoff drops no day still drops what an earlier one left detached.
    expect(await store.prune(D0)).toEqual({ events: 0, droppedDays: [] });
    expect(await leftovers()).toBe(0);
  });

  it('lookups copied in from another store, on a day with no partition yet, make it first', async () => {
    const time = Date.parse('2024-03-03T10:00:00Z');
    await store.importLookups([{ time, actorKind: 'operator', actor: 'ana@example.com', org: null, kind: 'ticket', target: cid('copied'), address: null }]);
    expect((await store.lookups({})).items.map((r) => r.target)).toEqual([cid('copied')]);
    expect(await placement('lookups')).toEqual([['lookups_d20240303', time]]);
  });

  it('a week and more of days to drop: detached a week at a time, every day dropped and said', async () => {
    const cp = new StreamFixture(cpStream('backlog'));
    for (let d = 0; d < 16; d++) cp.request({ cid: cid(`bl-${d}`), time: D0 + d * DAY + 5 });
    await store.writeBatch({ streams: [cp.batch()] });
    const r = await store.prune(D0 + 15 * DAY);
    expect(r.droppedDays.map((d) => [d.day, d.events])).toEqual(Array.from({ length: 15 }, (_, d) => [new Date(D0 + d * DAY).toISOString().slice(0, 10), 1]));
    expect(r.events).toBe(15);
    expect(await store.stats()).toMatchObject({ events: { cp: 1 }, requests: 1 });
    // Nothing detached is left behind.
    const left = await client.query(
      `SELECT count(*)::int AS n FROM pg_class WHERE relnamespace = $1::regnamespace AND relkind = 'r' AND NOT relispartition AND relname ~ '_d[0-9]{8}$'`,
      [schema],
    );
    expect(left.rows[0].n).toBe(0);
    expect(await placement('blocks', 't0')).toEqual([['blocks_d20261209', D0 + 15 * DAY + 5]]);
  });

  it('two stores creating the same days at once both write, and each day is made once', async () => {
    const other = await PostgresStore.open({ connectionString: PG_URL, schema });
    try {
      const a = new StreamFixture(cpStream('race-a'));
      const b = new StreamFixture(cpStream('race-b'));
      const base = Date.parse('2031-03-01T00:00:00Z');
      for (let d = 0; d < 8; d++) {
        a.request({ cid: cid(`ra${d}`), time: base + d * DAY + 1 });
        b.request({ cid: cid(`rb${d}`), time: base + d * DAY + 2 });
        const [ra, rb] = await Promise.all([store.writeBatch({ streams: [a.batch()] }), other.writeBatch({ streams: [b.batch()] })]);
        expect([ra.events, rb.events]).toEqual([1, 1]);
      }
      const n = await client.query(`SELECT count(*)::int AS n FROM pg_class WHERE relnamespace = $1::regnamespace AND relkind = 'r' AND relname LIKE 'blocks_d203103%'`, [schema]);
      expect(n.rows[0].n).toBe(8);
      expect(await store.stats()).toMatchObject({ events: { cp: 16 }, requests: 16 });
    } finally {
      await other.close();
    }
  });

  it('a day dropped by another store is made again when this one writes to it', async () => {
    const other = await PostgresStore.open({ connectionString: PG_URL, schema });
    try {
      const cp = new StreamFixture(cpStream('again'));
      cp.request({ cid: cid('again-1'), time: D0 + 5 });
      await store.writeBatch({ streams: [cp.batch()] });
      expect((await other.prune(D0 + DAY)).droppedDays.map((d) => d.day)).toEqual(['2026-11-24']);
      // `store` made 2026-11-24 itself and still thinks it is there.
      const late = cp.request({ cid: cid('again-2'), time: D0 + 9 });
      expect(await store.writeBatch({ streams: [cp.batch()] })).toMatchObject({ events: 1 });
      expect(await store.eventsByCid(cid('again-2'))).toEqual([late]);
      expect(await placement('blocks', 't0')).toEqual([['blocks_d20261124', D0 + 9]]);
    } finally {
      await other.close();
    }
  });
});
