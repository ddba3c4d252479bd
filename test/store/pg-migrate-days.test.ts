/**
 * A PostgreSQL store of the schema before day partitions (migrations 1–4)
 * opened by this version: migrated in place, every row moved into its day's
 * partition, the same answers after as before, and writing goes on from
 * where it was (ids continue, a batch sent again stores nothing twice).
 */
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/store.js';
import { PG_MIGRATIONS } from '../../src/store/postgres/pg-migrations.js';
import { oldSchema } from '../fixtures/pg-old-schema.js';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { auditStream, cid, container, cpStream, DAY, dockerStream, StreamFixture, T0 } from '../fixtures/events.js';
import { dropSchema, PG_URL, scratchSchemaName } from './pg-scratch.js';

/** Migrations before day partitions. */
const BEFORE_DAYS = 4;
const ref = scratchSchemaName('mig_new');
const old = scratchSchemaName('mig_old');

afterAll(async () => {
  await dropSchema(ref);
  await dropSchema(old);
});

/** Several days of every kind of row, a line of 1970 and a lookup and a health check. */
async function fill(store: Store, cp: StreamFixture, au: StreamFixture, db: StreamFixture): Promise<string[]> {
  const cids: string[] = [];
  for (let d = 0; d < 3; d++) {
    for (let i = 0; i < 4; i++) {
      const c = cid(`mig-${d}-${i}`);
      cids.push(c);
      const t = T0 + d * DAY + i * 3_600_000;
      cp.request({ cid: c, time: t, status: i % 2 ? 500 : 200, code: i % 2 ? 'CP_EXEC_FAILED' : undefined, org: 'acme' });
      au.audit({ cid: c, time: t + 1, wok: 'wacme1', org: 'acme' });
      db.pg({ time: t + 2, message: 'database system is shut down', cid: c });
    }
    cp.garbage(`junk ${d}`, T0 + d * DAY + 5);
    await store.writeBatch({ streams: [cp.batch(), au.batch(), db.batch()] });
  }
  cp.cpLine({ cid: cid('mig-epoch'), time: 0, msg: 'clock not set' });
  cids.push(cid('mig-epoch'));
  await store.writeBatch({ streams: [cp.batch()] });
  await store.recordLookup({ time: T0 + DAY, actorKind: 'operator', actor: 'ana@example.com', org: 'acme', kind: 'ticket', target: cids[0]!, address: '127.0.0.1' });
  await store.recordChecks([{ check: 'store', status: 'pass', time: T0 + 2 * DAY, output: null }]);
  return cids;
}

/** What a console shows of the store. */
async function answers(store: Store, cids: string[]): Promise<unknown> {
  const all = { from: 0, to: T0 + 10 * DAY };
  return {
    tickets: await Promise.all(cids.map((c) => store.eventsByCid(c))),
    stats: await store.stats(),
    search: await store.search({ limit: 500 }),
    unparsed: await store.unparsed(),
    audits: await store.audits({ ...all, limit: 500 }),
    lifecycle: await store.lifecycle({ ...all, limit: 500 }),
    codes: await store.codeCounts(all),
    lookups: await store.lookups({}),
    checks: await store.checkHistory(all),
  };
}

describe('PostgreSQL: a store of the schema before day partitions', () => {
  it('is migrated in place: rows in their days, the same answers, writing goes on', async () => {
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    const fx = () => [new StreamFixture(cpStream('mig')), new StreamFixture(auditStream('mig-audit')), new StreamFixture(dockerStream(container('mig-db', 'wacme1', 'db')))] as const;
    try {
      // The answers of a store written by this version…
      const reference = await PostgresStore.open({ connectionString: PG_URL, schema: ref });
      const [cp, au, db] = fx();
      const cids = await fill(reference, cp, au, db);
      const expected = await answers(reference, cids);
      await reference.close();

      // …and the same rows in a schema made by the migrations before partitions, as that version stored them.
      await oldSchema(client, ref, old, BEFORE_DAYS, []);
      const before = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${old}".events`);
      expect(before.rows[0]!.n).toBe(3 * 12 + 1);
      const kind = await client.query(`SELECT relkind FROM pg_class WHERE oid = '"${old}".events'::regclass`);
      expect(kind.rows[0].relkind).toBe('r');

      // Opened by this version.
      const store = await PostgresStore.open({ connectionString: PG_URL, schema: old });
      try {
        expect(await answers(store, cids)).toEqual(expected);
        const v = await client.query(`SELECT max(version)::int AS v FROM "${old}".schema_version`);
        expect(v.rows[0].v).toBe(PG_MIGRATIONS.length);
        const placed = await client.query<{ part: string; n: number }>(
          `SELECT c.relname AS part, sum(n)::int AS n FROM "${old}".blocks e JOIN pg_class c ON c.oid = e.tableoid GROUP BY 1 ORDER BY 1`,
        );
        // The events, moved into day partitions by migration 5, are blocks since migration 8, in the same days.
        expect(placed.rows).toEqual([
          { part: `blocks_d20261124`, n: 12 },
          { part: `blocks_d20261125`, n: 12 },
          { part: `blocks_d20261126`, n: 12 },
          { part: `blocks_default`, n: 1 },
        ]);
        expect((await client.query(`SELECT to_regclass($1) AS r`, [`"${old}".events`])).rows[0].r).toBeNull();
        for (const t of ['blocks', 'requests', 'unparsed', 'audits', 'lifecycle', 'lookups', 'checks']) {
          const k = await client.query(`SELECT relkind FROM pg_class WHERE oid = $1::regclass`, [`"${old}".${t}`]);
          expect(k.rows[0].relkind).toBe('p');
          expect((await client.query(`SELECT to_regclass($1) AS r`, [`"${old}".${t}_v4`])).rows[0].r).toBeNull();
        }
        const counts = (s: string) => client.query(`SELECT day::text, source, events::int FROM "${s}".event_days ORDER BY 1, 2`);
        expect((await counts(old)).rows).toEqual((await counts(ref)).rows);

        // Writing goes on: the same lines again store nothing; new ones get ids after the old.
        const [cp2, au2, db2] = fx();
        await fill(store, cp2, au2, db2);
        expect((await store.stats()).events).toEqual((expected as { stats: { events: unknown } }).stats.events);
        const maxBefore = await client.query(`SELECT max(id)::int AS m FROM "${old}".requests`);
        cp.request({ cid: cid('mig-after'), time: T0 + 3 * DAY, status: 500, code: 'CP_EXEC_FAILED' });
        await store.writeBatch({ streams: [cp.batch()] });
        const after = await store.search({ limit: 1 });
        expect(after.items[0]!.cid).toBe(cid('mig-after'));
        const maxAfter = await client.query(`SELECT max(id)::int AS m FROM "${old}".requests`);
        expect(maxAfter.rows[0].m).toBe(maxBefore.rows[0].m + 1);
        expect((await store.prune(T0 + DAY)).droppedDays.map((d) => d.day)).toEqual(['2026-11-24']);
      } finally {
        await store.close();
      }
    } finally {
      await client.end();
    }
  });
});
