/**
 * A PostgreSQL store of the schema before blocks (migrations 1–7: a row per
 * event in day partitions) opened by this version: its events packed into
 * blocks in their days, `events` gone, the same tickets and reads after as
 * before, and writing goes on without storing anything twice.
 */
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/store.js';
import { PG_MIGRATIONS } from '../../src/store/postgres/pg-migrations.js';
import { dayNumber, DAY_MS } from '../../src/store/postgres/pg-partitions.js';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { auditStream, cid, container, cpStream, DAY, dockerStream, StreamFixture, T0 } from '../fixtures/events.js';
import { oldSchema } from '../fixtures/pg-old-schema.js';
import { dropSchema, PG_URL, scratchSchemaName } from './pg-scratch.js';

/** Migrations before blocks. */
const BEFORE_BLOCKS = 7;
const WOK = 'wacme1';
const DB = container('blk-db', WOK, 'db');
const ref = scratchSchemaName('blk_new');
const old = scratchSchemaName('blk_old');

afterAll(async () => {
  await dropSchema(ref);
  await dropSchema(old);
});

const fx = () => [new StreamFixture(cpStream('blk')), new StreamFixture(auditStream('blk-audit')), new StreamFixture(dockerStream(DB))] as const;

/** Three days of every kind of line, some minutes either side of each midnight, and a line of 1970. */
async function fill(store: Store, [cp, au, db]: ReturnType<typeof fx>): Promise<string[]> {
  const cids: string[] = [];
  for (let d = 0; d < 3; d++) {
    // T0 is 20:00 UTC: lines every two minutes from 23:50 to 00:10 run across midnight.
    for (let i = 0; i < 11; i++) {
      const c = cid(`blk-${d}-${i}`);
      cids.push(c);
      const t = T0 + d * DAY + 3 * 3_600_000 + 50 * 60_000 + i * 120_000;
      cp.cpLine({ cid: c, time: t, msg: 'wok resolved', wok: WOK });
      cp.request({ cid: c, time: t + 1, status: i % 2 ? 500 : 200, code: i % 2 ? 'CP_EXEC_FAILED' : undefined, org: 'acme' });
      au.audit({ cid: c, time: t + 2, wok: WOK, org: 'acme' });
      db.pg({ time: t + 3, severity: i % 3 ? 'LOG' : 'ERROR', message: `statement ${i}`, cid: c });
    }
    cp.garbage(`junk ${d}`, T0 + d * DAY + 5);
    await store.writeBatch({ streams: [cp.batch(), au.batch(), db.batch()] });
  }
  cp.cpLine({ cid: cid('blk-epoch'), time: 0, msg: 'clock not set' });
  cids.push(cid('blk-epoch'));
  await store.writeBatch({ streams: [cp.batch()] });
  return cids;
}

async function answers(store: Store, cids: string[], around: string): Promise<unknown> {
  const all = { from: 0, to: T0 + 10 * DAY };
  return {
    tickets: await store.eventsByCids(cids),
    stats: await store.stats(),
    search: await store.search({ limit: 500 }),
    unparsed: await store.unparsed(),
    audits: await store.audits({ ...all, limit: 500 }),
    codes: await store.codeCounts(all),
    window: await store.containerEvents({ wok: WOK, ...all, limit: 1000 }),
    notable: await store.containerEvents({ wok: WOK, ...all, limit: 5, notable: true }),
    tail: await store.containerTail(DB.id, 7),
    around: await store.aroundEvent(around, 5),
  };
}

describe('PostgreSQL: a store of the schema before blocks', () => {
  it('is migrated in place: events packed into blocks of one day each, the same answers, writing goes on', async () => {
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    try {
      const reference = await PostgresStore.open({ connectionString: PG_URL, schema: ref });
      const streams = fx();
      const cids = await fill(reference, streams);
      const around = (await reference.eventsByCid(cids[12]!))[0]!.id;
      const expected = await answers(reference, cids, around);
      await reference.close();

      const days = [0, 1, 2, 3].map((d) => dayNumber(T0) + d);
      await oldSchema(client, ref, old, BEFORE_BLOCKS, days);
      const before = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${old}".events`);
      expect(before.rows[0]!.n).toBe(3 * 11 * 4 + 1);

      const store = await PostgresStore.open({ connectionString: PG_URL, schema: old });
      try {
        expect(await answers(store, cids, around)).toEqual(expected);
        const v = await client.query(`SELECT max(version)::int AS v FROM "${old}".schema_version`);
        expect(v.rows[0].v).toBe(PG_MIGRATIONS.length);
        expect((await client.query(`SELECT to_regclass($1) AS r`, [`"${old}".events`])).rows[0].r).toBeNull();
        const blocks = await client.query<{ t0: number; t1: number; n: number; part: string }>(
          `SELECT b.t0::float8 AS t0, b.t1::float8 AS t1, b.n, c.relname AS part FROM "${old}".blocks b JOIN pg_class c ON c.oid = b.tableoid`,
        );
        expect(blocks.rows.reduce((n, b) => n + b.n, 0)).toBe(3 * 11 * 4 + 1);
        // Every block lies in one day, and in that day's partition.
        for (const b of blocks.rows) {
          expect(Math.floor(b.t1 / DAY_MS)).toBe(Math.floor(b.t0 / DAY_MS));
          if (b.t0 > 0) expect(b.part).toBe(`blocks_d${new Date(b.t0).toISOString().slice(0, 10).replaceAll('-', '')}`);
          else expect(b.part).toBe('blocks_default');
        }
        // Fewer rows than events: lines share blocks.
        expect(blocks.rows.length).toBeLessThan(3 * 11 * 4 / 2);
        const ids = await client.query<{ n: number }>(`SELECT count(DISTINCT cid)::int AS n FROM "${old}".block_cids`);
        expect(ids.rows[0]!.n).toBe(cids.length);

        // Writing goes on: the same lines again store nothing; a new one is found.
        await fill(store, fx());
        expect((await store.stats()).events).toEqual((expected as { stats: { events: unknown } }).stats.events);
        const [cp] = streams;
        cp.request({ cid: cid('blk-after'), time: T0 + 3 * DAY, status: 500, code: 'CP_EXEC_FAILED' });
        await store.writeBatch({ streams: [cp.batch()] });
        expect(await store.eventsByCid(cid('blk-after'))).toHaveLength(1);
        expect((await store.prune(T0 + DAY)).droppedDays.map((d) => d.day)).toEqual(['2026-11-24']);
      } finally {
        await store.close();
      }
    } finally {
      await client.end();
    }
  });
});
