/**
 * A PostgreSQL connection cut under the store, on the machine's server: our
 * own backends (found by an application_name of this test's own, so no one
 * else's connection is touched) are ended by pg_terminate_backend — what a
 * restart does to every connection — in the middle of a query and while a
 * checked-out client sits idle in a transaction. Either way the transaction
 * fails with a StoreError 'unavailable' that waiting can fix, the process
 * goes on (an unheard 'error' event would end it), and the pool's next
 * transaction works on a new connection. Errors waiting cannot fix keep
 * their own reasons.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createPool, inTransaction, mapPgError } from '../../src/store/postgres/pg-connect.js';
import { StoreError } from '../../src/store/store.js';
import { waitingCanFix } from '../../src/store/store-outage.js';
import { PG_URL } from './pg-scratch.js';

const APP = `diag_outage_${randomBytes(4).toString('hex')}`;
const url = `${PG_URL}${PG_URL.includes('?') ? '&' : '?'}application_name=${APP}`;
const pool = createPool({ connectionString: url, schema: 'public', maxConnections: 2 });
const fail = (e: unknown) => mapPgError(e, 'writing a batch', 'the test server');

afterAll(async () => {
  await pool.end();
});

/** Ends this test's own backends (not the admin one doing it); resolves with how many. */
async function cutOwnConnections(): Promise<number> {
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  try {
    const r = await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND pid <> pg_backend_pid()', [APP]);
    return r.rowCount ?? 0;
  } finally {
    await admin.end();
  }
}

async function until(what: string, fn: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (await fn()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const activeQueries = async () => {
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  try {
    const r = await admin.query<{ n: string }>("SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = $1 AND state = 'active'", [APP]);
    return Number(r.rows[0]!.n);
  } finally {
    await admin.end();
  }
};

describe('a connection cut under the store', () => {
  it('mid-query: a StoreError unavailable (57P01), and the next transaction works', async () => {
    const running = inTransaction(pool, fail, (c) => c.query('SELECT pg_sleep(30)')).then(
      () => null,
      (e: unknown) => e,
    );
    await until('the query to run', async () => (await activeQueries()) > 0);
    expect(await cutOwnConnections()).toBeGreaterThan(0);
    const err = await running;
    expect(err).toBeInstanceOf(StoreError);
    expect((err as StoreError).reason).toBe('unavailable');
    expect((err as StoreError).message).toMatch(/^writing a batch: .*57P01/);
    expect(waitingCanFix(err)).toBe(true);
    expect(await inTransaction(pool, fail, async (c) => (await c.query<{ one: number }>('SELECT 1 AS one')).rows[0]!.one)).toBe(1);
  });

  it('while a checked-out client is idle in its transaction: its next query fails as unavailable, nothing is left unheard', async () => {
    const err = await inTransaction(pool, fail, async (c) => {
      await c.query('SELECT 1');
      expect(await cutOwnConnections()).toBeGreaterThan(0);
      // The server's goodbye arrives on the idle client: an 'error' event no one called for.
      await new Promise((r) => setTimeout(r, 300));
      await c.query('SELECT 2');
    }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(StoreError);
    expect((err as StoreError).reason).toBe('unavailable');
    expect(waitingCanFix(err)).toBe(true);
    expect(await inTransaction(pool, fail, async (c) => (await c.query<{ one: number }>('SELECT 1 AS one')).rows[0]!.one)).toBe(1);
  });

  it('idle in the pool: the pool drops it, the next transaction works', async () => {
    await inTransaction(pool, fail, (c) => c.query('SELECT 1'));
    expect(await cutOwnConnections()).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 300));
    expect(await inTransaction(pool, fail, async (c) => (await c.query<{ one: number }>('SELECT 1 AS one')).rows[0]!.one)).toBe(1);
  });

  it('errors waiting cannot fix keep their reasons', async () => {
    const nowhere = createPool({ connectionString: PG_URL.replace(/\/[^/?]*(\?|$)/, '/no_such_database_here$1'), schema: 'public' });
    try {
      const missingDb = await inTransaction(nowhere, fail, (c) => c.query('SELECT 1')).then(
        () => null,
        (e: unknown) => e,
      );
      expect(missingDb).toBeInstanceOf(StoreError);
      expect((missingDb as StoreError).reason).toBe('other');
      expect(waitingCanFix(missingDb)).toBe(false);
    } finally {
      await nowhere.end();
    }
    const missing = await inTransaction(pool, fail, (c) => c.query('SELECT * FROM no_such_table_here')).then(
      () => null,
      (e: unknown) => e,
    );
    expect(missing).not.toBeInstanceOf(StoreError);
    expect(waitingCanFix(missing)).toBe(false);
  });
});
