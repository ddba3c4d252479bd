/**
 * The cp database's connection cut under a check, two ways: by the server
 * (pg_terminate_backend, what a restart does: an error message, then the
 * socket closes; found by the query's own text, so no one else's connection
 * is touched) and by the network (a loopback proxy between us and the server
 * that resets the socket: no message at all). Either way the query fails as
 * a CpDatabaseError, nothing is left unheard (an 'error' event no one listens
 * to would end the process), and the next query works on a new connection.
 */
import { randomInt } from 'node:crypto';
import net from 'node:net';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { CpDatabase, CpDatabaseError } from '../../src/cpdb/cp-database.js';
import { TEST_DB_URL } from './fixtures/cp-schema.js';

const open: { close(): Promise<void> }[] = [];
afterAll(async () => {
  for (const o of open.reverse()) await o.close();
});

function cpAt(url: string): CpDatabase {
  const cp = new CpDatabase({ url, schema: null, connectTimeoutMs: 5000, statementTimeoutMs: 20_000, max: 2 });
  open.push(cp);
  return cp;
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: TEST_DB_URL });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** A sleep of its own length: its text finds this query's backend among everyone's. */
const uniqueSleep = () => `SELECT pg_sleep(15.${String(randomInt(1e6)).padStart(6, '0')})`;

async function whenRunning(sleep: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const n = await admin(async (c) => (await c.query("SELECT 1 FROM pg_stat_activity WHERE query = $1 AND state = 'active'", [sleep])).rowCount ?? 0);
    if (n) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the query never ran');
}

/** A loopback TCP proxy to the test database whose connections can be reset (RST) at once. */
async function resettingProxy(): Promise<{ url: string; reset(): number; close(): Promise<void> }> {
  const target = new URL(TEST_DB_URL);
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port || 5432), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => sockets.delete(s));
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  const url = new URL(TEST_DB_URL);
  url.port = String(port);
  return {
    url: url.toString(),
    reset() {
      const n = sockets.size;
      for (const s of sockets) s.resetAndDestroy();
      return n;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

describe('the cp database cut mid-query', () => {
  it('by the server: fails that query, and the next one works', async () => {
    const cp = cpAt(TEST_DB_URL);
    const sleep = uniqueSleep();
    const running = cp.query(sleep).then(
      () => null,
      (e: unknown) => e,
    );
    await whenRunning(sleep);
    expect(await admin(async (c) => (await c.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = $1 AND pid <> pg_backend_pid()', [sleep])).rowCount)).toBe(1);
    expect(await running).toBeInstanceOf(CpDatabaseError);
    await new Promise((r) => setTimeout(r, 200));
    expect(await cp.query<{ one: number }>('SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });

  it('by the network (a reset, no goodbye): fails that query, and the next one works', async () => {
    const proxy = await resettingProxy();
    open.push(proxy);
    const cp = cpAt(proxy.url);
    const sleep = uniqueSleep();
    const running = cp.query(sleep).then(
      () => null,
      (e: unknown) => e,
    );
    await whenRunning(sleep);
    expect(proxy.reset()).toBeGreaterThan(0);
    const err = await running;
    expect(err).toBeInstanceOf(CpDatabaseError);
    expect((err as CpDatabaseError).reason).toBe('unreachable');
    await new Promise((r) => setTimeout(r, 200));
    expect(await cp.query<{ one: number }>('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    // The server's end of the cut connection goes when the server notices; ours is gone.
    await admin((c) => c.query('SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE query = $1', [sleep]));
  });
});
