/** The Store contract on the machine's PostgreSQL, plus what only PostgreSQL has: schemas, migrations, connection failures. */
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { PG_MIGRATIONS } from '../../src/store/postgres/pg-migrations.js';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { StoreError } from '../../src/store/store.js';
import { cid, cpStream, StreamFixture, T0 } from '../fixtures/events.js';
import { storeContract } from './contract.js';
import { dropSchema, PG_URL, scratchSchemaName } from './pg-scratch.js';

// One scratch schema for this file: every test starts from it empty (dropped and migrated again).
const schema = scratchSchemaName('contract');
const extra: string[] = [];

afterAll(async () => {
  for (const s of [schema, ...extra]) await dropSchema(s);
});

storeContract('postgres', async () => {
  await dropSchema(schema);
  const store = await PostgresStore.open({ connectionString: PG_URL, schema });
  return {
    store,
    reopen: () => PostgresStore.open({ connectionString: PG_URL, schema }),
    cleanup: () => store.close(),
  };
});

describe('PostgreSQL store specifics', () => {
  it('creates its schema and tables at open, and opening again (or at once from two stores) migrates nothing twice', async () => {
    const s = scratchSchemaName('migrate');
    extra.push(s);
    const [a, b] = await Promise.all([PostgresStore.open({ connectionString: PG_URL, schema: s }), PostgresStore.open({ connectionString: PG_URL, schema: s })]);
    await a.close();
    await b.close();
    const c = await PostgresStore.open({ connectionString: PG_URL, schema: s });
    await c.close();
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    try {
      const v = await client.query(`SELECT version FROM "${s}".schema_version ORDER BY version`);
      expect(v.rows.map((r: { version: number }) => r.version)).toEqual(PG_MIGRATIONS.map((_, i) => i + 1));
      const t = await client.query('SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name', [s]);
      expect(t.rows.map((r: { table_name: string }) => r.table_name)).toEqual(expect.arrayContaining(['blocks', 'block_cids', 'streams', 'requests', 'unparsed', 'idempotency', 'operators', 'tokens', 'checks']));
      // Nothing leaked into the public schema.
      const pub = await client.query(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public' AND table_name IN ('blocks', 'streams')`);
      expect(pub.rows[0].n).toBe(0);
    } finally {
      await client.end();
    }
  });

  it('keeps stores in two schemas apart', async () => {
    const s1 = scratchSchemaName('iso_a');
    const s2 = scratchSchemaName('iso_b');
    extra.push(s1, s2);
    const a = await PostgresStore.open({ connectionString: PG_URL, schema: s1 });
    const b = await PostgresStore.open({ connectionString: PG_URL, schema: s2 });
    try {
      const s = new StreamFixture(cpStream());
      s.request({ cid: cid('iso'), time: T0 });
      await a.writeBatch({ streams: [s.batch()] });
      expect(await a.eventsByCid(cid('iso'))).toHaveLength(1);
      expect(await b.eventsByCid(cid('iso'))).toEqual([]);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('refuses a schema name that is not a plain identifier', () => {
    for (const bad of ['a"; DROP SCHEMA public; --', '1abc', '', 'x'.repeat(64), 'has space', 'MixedCase']) {
      expect(() => new PostgresStore({ connectionString: PG_URL, schema: bad })).toThrow(StoreError);
    }
  });

  it('maps a server that cannot be reached to a StoreError naming it', async () => {
    const err = await PostgresStore.open({ connectionString: 'postgres://postgres@127.0.0.1:1/test', schema: 'nowhere', connectTimeoutMs: 2000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreError);
    expect((err as StoreError).message).toMatch(/cannot reach PostgreSQL at 127\.0\.0\.1:1\/test \(ECONNREFUSED\)/);
    expect((err as StoreError).reason).toBe('unavailable');
  });

  it('maps a database that does not exist to a StoreError', async () => {
    const err = await PostgresStore.open({ connectionString: 'postgres://postgres@127.0.0.1:5432/no_such_database_here', schema: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreError);
    expect((err as StoreError).message).toMatch(/no_such_database_here/);
  });

  it('a write that fails leaves its connection clean: the next writes on it store normally, each only its own rows', async () => {
    const s = scratchSchemaName('failed');
    extra.push(s);
    // One connection, so every write below runs on it: the first one rolls back.
    const store = await PostgresStore.open({ connectionString: PG_URL, schema: s, maxConnections: 1 });
    try {
      const f = new StreamFixture(cpStream('failed'));
      const c = cid('failed');
      f.cpLine({ cid: c, time: T0, msg: 'first' });
      const bad = f.batch();
      await expect(store.writeBatch({ streams: [{ ...bad, events: bad.events.map((e) => ({ ...e, time: Number.NaN })) }] })).rejects.toThrow();
      expect(await store.stats()).toMatchObject({ events: { cp: 0 } });
      const good = [f.cpLine({ cid: c, time: T0 + 1, msg: 'second\tline\\' }), f.request({ cid: c, time: T0 + 5, status: 200 })];
      expect(await store.writeBatch({ streams: [f.batch()] })).toEqual({ events: 2, unparsed: 0, duplicate: false });
      // And again on the same connection: only the new line goes in.
      good.push(f.cpLine({ cid: c, time: T0 + 9, msg: 'third' }));
      expect(await store.writeBatch({ streams: [f.batch()] })).toEqual({ events: 1, unparsed: 0, duplicate: false });
      expect(await store.eventsByCid(c)).toEqual(good);
      expect((await store.search({})).items).toHaveLength(1);
    } finally {
      await store.close();
    }
  });

  it('a store made with new (not open) migrates on first use', async () => {
    const s = scratchSchemaName('lazy');
    extra.push(s);
    const store = new PostgresStore({ connectionString: PG_URL, schema: s });
    try {
      expect(await store.stats()).toMatchObject({ events: { cp: 0, container: 0, audit: 0 }, streams: [] });
    } finally {
      await store.close();
    }
  });
});
