import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cpDbCheck } from '../../../src/diag/checks/cp-db.js';
import { closedPort, createCpSchema, TEST_DB_URL, type CpSchema } from '../../cpdb/fixtures/cp-schema.js';
import { checkDeps, cpDatabase } from '../fixtures/diag-deps.js';
import { PlatformLogs, tempStore } from '../fixtures/platform-logs.js';
import { reading, runCheck } from '../fixtures/run-check.js';

const NOW = Date.now();
const MIN = 60_000;

describe('cp_db check', () => {
  let cp: CpSchema;
  const cleanup: (() => Promise<void> | void)[] = [];

  beforeAll(async () => {
    cp = await createCpSchema();
    await cp.addOrg('acme');
  });
  afterEach(async () => {
    for (const f of cleanup.splice(0).reverse()) await f();
  });
  afterAll(async () => {
    await cp.drop();
  });

  async function store() {
    const s = tempStore();
    cleanup.push(() => s.close());
    return s.store;
  }

  it('without DIAG_CP_DATABASE_URL: warn "not configured", never a crash', async () => {
    const o = await runCheck(cpDbCheck, checkDeps(await store(), { now: NOW }));
    expect(o.status).toBe('warn');
    expect(reading(o, 'responseTime').status).toBe('warn');
    // Nothing was read: no value and no unit, rather than null and "".
    expect(reading(o, 'responseTime')).not.toHaveProperty('observedValue');
    expect(reading(o, 'responseTime')).not.toHaveProperty('observedUnit');
    expect(reading(o, 'responseTime').output).toMatch(/^not configured: set DIAG_CP_DATABASE_URL/);
    expect(reading(o, 'queryFailures')).toMatchObject({ status: 'pass', observedValue: 0 });
  });

  it('up: pass, with the response time and all four contract views', async () => {
    const db = cpDatabase(TEST_DB_URL, cp.schema);
    cleanup.push(() => db.close());
    const o = await runCheck(cpDbCheck, checkDeps(await store(), { now: NOW, cp: db }));
    expect(o.status).toBe('pass');
    const rt = reading(o, 'responseTime');
    expect(rt).toMatchObject({ status: 'pass', observedUnit: 'ms', componentId: 'postgres://127.0.0.1:5432/test' });
    expect(rt.observedValue).toBeGreaterThan(0);
    expect(reading(o, 'contract')).toMatchObject({ status: 'pass', observedValue: 4, observedUnit: 'of 4 views' });
  });

  it('down (closed port): fail with "connection refused"', async () => {
    const port = await closedPort();
    const db = cpDatabase(`postgres://postgres@127.0.0.1:${port}/test`, cp.schema);
    cleanup.push(() => db.close());
    const o = await runCheck(cpDbCheck, checkDeps(await store(), { now: NOW, cp: db }));
    expect(o.status).toBe('fail');
    expect(reading(o, 'responseTime').output).toBe(`postgres://127.0.0.1:${port}/test: connection refused by 127.0.0.1:${port}`);
  });

  it('slow (pg_sleep past the timeout): fail "timed out after 500 ms", and the check returns at its timeout', async () => {
    await cp.sql(`CREATE OR REPLACE VIEW "${cp.schema}".orgs AS SELECT slug::text AS slug FROM "${cp.source}".orgs WHERE pg_sleep(3) IS NOT NULL`);
    cleanup.push(async () => {
      await cp.sql(`CREATE OR REPLACE VIEW "${cp.schema}".orgs AS SELECT slug::text AS slug FROM "${cp.source}".orgs`);
    });
    const db = cpDatabase(TEST_DB_URL, cp.schema, 5000);
    cleanup.push(() => db.close());
    const t0 = Date.now();
    const o = await runCheck(cpDbCheck, checkDeps(await store(), { now: NOW, cp: db, config: { timeoutMs: 500 } }));
    expect(Date.now() - t0).toBeLessThan(2500);
    expect(o.status).toBe('fail');
    expect(o.measurements).toEqual([{ measurement: 'responseTime', componentType: 'datastore', status: 'fail', output: 'timed out after 500 ms' }]);
  });

  it('a contract view missing: fail naming it', async () => {
    await cp.sql(`DROP VIEW "${cp.schema}".api_keys`);
    cleanup.push(async () => {
      await cp.sql(`CREATE VIEW "${cp.schema}".api_keys AS SELECT prefix::text, sha256::text, org_slug::text, user_id::text, kind::text, revoked_at::timestamptz FROM "${cp.source}".api_keys`);
    });
    const db = cpDatabase(TEST_DB_URL, cp.schema);
    cleanup.push(() => db.close());
    const o = await runCheck(cpDbCheck, checkDeps(await store(), { now: NOW, cp: db }));
    expect(o.status).toBe('fail');
    expect(reading(o, 'contract')).toMatchObject({ observedValue: 3, status: 'fail' });
    expect(reading(o, 'contract').output).toMatch(/^api_keys: relation "api_keys" does not exist/);
  });

  it('CP_DB_QUERY_FAILED in the logs: one is warn, five are fail, older than the window count for nothing', async () => {
    const s = await store();
    const logs = new PlatformLogs();
    cleanup.push(() => logs.remove());
    for (let i = 0; i < 20; i++) logs.request({ time: NOW - 10 * MIN + i * 1000, path: '/v1/woks', status: 200 });
    for (let i = 0; i < 8; i++) logs.request({ time: NOW - 3 * 3_600_000 + i * 1000, method: 'POST', path: '/v1/woks', status: 500, code: 'CP_DB_QUERY_FAILED', message: 'duplicate key value violates unique constraint' });
    const sample = logs.request({ time: NOW - 2 * MIN, method: 'POST', path: '/v1/woks', status: 500, code: 'CP_DB_QUERY_FAILED', message: 'connection terminated unexpectedly' });
    await logs.ingestInto(s);
    let o = await runCheck(cpDbCheck, checkDeps(s, { now: NOW }));
    expect(reading(o, 'queryFailures')).toMatchObject({
      status: 'warn',
      observedValue: 1,
      observedUnit: 'requests',
      context: 'in the last 15 min',
      links: [{ rel: 'related', href: `/tickets/${sample}`, title: 'sample request' }],
      affectedEndpoints: ['/v1/woks'],
    });
    expect(reading(o, 'queryFailures').output).toBe('1 request failed with CP_DB_QUERY_FAILED in the last 15 min (4.8% of 21 requests): CP_DB_QUERY_FAILED');

    for (let i = 0; i < 4; i++) logs.request({ time: NOW - MIN + i * 1000, method: 'POST', path: '/v1/woks', status: 500, code: 'CP_DB_QUERY_FAILED' });
    await logs.ingestInto(s);
    o = await runCheck(cpDbCheck, checkDeps(s, { now: NOW }));
    expect(reading(o, 'queryFailures')).toMatchObject({ status: 'fail', observedValue: 5 });
    expect(o.status).toBe('fail');
  });
});
