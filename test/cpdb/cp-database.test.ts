import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkContract } from '../../src/cpdb/contract.js';
import { CpDatabase, CpDatabaseError, describeUrl } from '../../src/cpdb/cp-database.js';
import { CpInventory } from '../../src/cpdb/cp-inventory.js';
import { DiagError } from '../../src/errors/diag-error.js';
import { closedPort, createCpSchema, silentServer, TEST_DB_URL, type CpSchema } from './fixtures/cp-schema.js';

const KEY_SHA = 'a'.repeat(64);

function db(url: string, schema: string | null, timeoutMs = 1000): CpDatabase {
  return new CpDatabase({ url, schema, connectTimeoutMs: timeoutMs, statementTimeoutMs: timeoutMs, max: 2 });
}

describe('the cp database through the contract', () => {
  let cp: CpSchema;
  let live: CpDatabase;

  beforeAll(async () => {
    cp = await createCpSchema();
    await cp.addOrg('acme');
    await cp.addOrg('globex');
    await cp.addWok({ id: 'shopfront', org: 'acme', functionsPort: 7101, createdAt: new Date('2026-03-01T09:00:00Z') });
    await cp.addWok({ id: 'legacy', org: 'acme', functionsPort: null });
    await cp.addWok({ id: 'gone', org: 'globex', status: 'destroyed' });
    await cp.setStatus('shopfront', 'running', 4);
    await cp.addKey({ prefix: 'skl_1a2b3c4d', sha256: KEY_SHA, org: 'acme', user: 'maria@acme.test' });
    await cp.addKey({ prefix: 'skl_1a2b3c4d', sha256: 'b'.repeat(64), org: 'acme', user: 'old@acme.test', revokedAt: new Date('2026-02-01T00:00:00Z') });
    live = db(TEST_DB_URL, cp.schema);
  });

  afterAll(async () => {
    await live.close();
    await cp.drop();
  });

  it('answers SELECT 1 and finds all four views with their columns', async () => {
    const ping = await live.ping();
    expect(ping.ms).toBeGreaterThan(0);
    const views = await checkContract(live);
    expect(views).toEqual([
      { view: 'orgs', ok: true, error: null, missing: false },
      { view: 'woks', ok: true, error: null, missing: false },
      { view: 'wok_status', ok: true, error: null, missing: false },
      { view: 'api_keys', ok: true, error: null, missing: false },
    ]);
  });

  it('is the live inventory: woks, keys (revoked ones marked) and status rows', async () => {
    const inv = new CpInventory(live);
    expect(await inv.wok('shopfront')).toEqual({ id: 'shopfront', org: 'acme', status: 'active', functionsPort: 7101, createdAt: Date.parse('2026-03-01T09:00:00Z') });
    expect(await inv.wok('nope')).toBeNull();
    expect((await inv.woks()).map((w) => [w.id, w.status, w.functionsPort])).toEqual([
      ['gone', 'destroyed', 7000],
      ['legacy', 'active', null],
      ['shopfront', 'active', 7101],
    ]);
    const keys = await inv.keysByPrefix('skl_1a2b3c4d');
    expect(keys.map((k) => [k.user, k.kind, k.revokedAt])).toEqual(
      expect.arrayContaining([
        ['maria@acme.test', 'skl', null],
        ['old@acme.test', 'skl', Date.parse('2026-02-01T00:00:00Z')],
      ]),
    );
    const status = await inv.wokStatus('shopfront');
    expect(status?.state).toBe('running');
    expect(Date.now() - status!.refreshedAt!).toBeGreaterThan(3000);
    expect(await inv.wokStatus('legacy')).toBeNull();
  });

  it('never writes: the session is read-only', async () => {
    const e = await live.query(`INSERT INTO "${cp.source}".orgs (slug) VALUES ('intruder')`).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(CpDatabaseError);
    expect((e as Error).message).toMatch(/read-only transaction/);
    const rows = await cp.sql(`SELECT count(*)::int AS n FROM "${cp.source}".orgs WHERE slug = 'intruder'`);
    expect(rows.rows[0].n).toBe(0);
  });

  it('names the view and column when the contract drifts', async () => {
    await cp.sql(`DROP VIEW "${cp.schema}".wok_status`);
    await cp.sql(`CREATE VIEW "${cp.schema}".wok_status AS SELECT wok_id, state FROM "${cp.source}".wok_status`);
    try {
      const views = await checkContract(live);
      const bad = views.filter((v) => !v.ok);
      expect(bad).toHaveLength(1);
      expect(bad[0]!.view).toBe('wok_status');
      expect(bad[0]!.error).toMatch(/column "refreshed_at" does not exist/);
      expect(bad[0]!.missing).toBe(true);
    } finally {
      await cp.sql(`DROP VIEW "${cp.schema}".wok_status`);
      await cp.sql(`CREATE VIEW "${cp.schema}".wok_status AS SELECT wok_id::text, state::text, refreshed_at::timestamptz FROM "${cp.source}".wok_status`);
    }
  });

  it('slow: a statement past the timeout is cut by the server, and an abandoned one at once', async () => {
    await cp.sql(`CREATE VIEW "${cp.schema}".slow_orgs AS SELECT slug FROM "${cp.source}".orgs WHERE pg_sleep(2) IS NOT NULL`);
    const short = db(TEST_DB_URL, cp.schema, 400);
    try {
      const t0 = Date.now();
      const e = await short.query('SELECT slug FROM slow_orgs').catch((x: unknown) => x);
      expect(e).toBeInstanceOf(CpDatabaseError);
      expect((e as CpDatabaseError).reason).toBe('timeout');
      expect(Date.now() - t0).toBeLessThan(1900);

      const ac = new AbortController();
      setTimeout(() => ac.abort(), 150);
      const t1 = Date.now();
      const e2 = await live.query('SELECT slug FROM slow_orgs', [], ac.signal).catch((x: unknown) => x);
      expect((e2 as CpDatabaseError).reason).toBe('aborted');
      expect(Date.now() - t1).toBeLessThan(1000);
      // The pool still works after a connection was destroyed under a query.
      expect((await live.ping()).ms).toBeGreaterThan(0);
    } finally {
      await short.close();
      await cp.sql(`DROP VIEW "${cp.schema}".slow_orgs`);
    }
  });

  it('down: a closed port is "connection refused", fast', async () => {
    const port = await closedPort();
    const down = db(`postgres://postgres@127.0.0.1:${port}/test`, cp.schema);
    try {
      const e = await down.ping().catch((x: unknown) => x);
      expect(e).toBeInstanceOf(CpDatabaseError);
      expect((e as CpDatabaseError).reason).toBe('unreachable');
      expect((e as Error).message).toBe(`connection refused by 127.0.0.1:${port}`);
      // On a request path, the inventory answers in our envelope's terms.
      const inv = new CpInventory(down);
      const e2 = await inv.wok('shopfront').catch((x: unknown) => x);
      expect(e2).toBeInstanceOf(DiagError);
      expect((e2 as DiagError).code).toBe('DIAG_TIMEOUT');
    } finally {
      await down.close();
    }
  });

  it('hung: a server that never answers is bounded by the connect timeout, and by the caller', async () => {
    const hung = await silentServer();
    const d = db(`postgres://postgres@127.0.0.1:${hung.port}/test`, null, 500);
    try {
      const t0 = Date.now();
      const e = await d.ping().catch((x: unknown) => x);
      expect(e).toBeInstanceOf(CpDatabaseError);
      expect((e as CpDatabaseError).reason).toBe('timeout');
      expect(Date.now() - t0).toBeLessThan(1500);

      const t1 = Date.now();
      const e2 = await d.ping(AbortSignal.timeout(100)).catch((x: unknown) => x);
      expect((e2 as CpDatabaseError).reason).toBe('aborted');
      expect(Date.now() - t1).toBeLessThan(450);
    } finally {
      await d.close();
      await hung.close();
    }
  });

  it('shows the URL without credentials', () => {
    expect(describeUrl('postgres://reader:s3cret@cp-db.internal:5432/cp?sslmode=require')).toBe('postgres://cp-db.internal:5432/cp');
    expect(describeUrl('not a url')).toBe('(unparsable URL)');
  });
});
