import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { reconcilerCheck } from '../../../src/diag/checks/reconciler.js';
import { createCpSchema, TEST_DB_URL, type CpSchema } from '../../cpdb/fixtures/cp-schema.js';
import { checkDeps, cpDatabase } from '../fixtures/diag-deps.js';
import { PlatformLogs, tempStore } from '../fixtures/platform-logs.js';
import { details, reading, runCheck } from '../fixtures/run-check.js';

const NOW = Date.now();
const MIN = 60_000;

describe('reconciler check', () => {
  let cp: CpSchema;
  const cleanup: (() => Promise<void> | void)[] = [];

  beforeAll(async () => {
    cp = await createCpSchema();
    await cp.addOrg('acme');
    await cp.addWok({ id: 'shopfront', org: 'acme', functionsPort: 7101 });
    await cp.addWok({ id: 'inbox', org: 'acme', functionsPort: 7102 });
    await cp.addWok({ id: 'old', org: 'acme', status: 'destroyed' });
    await cp.setStatus('shopfront', 'running', 5);
    await cp.setStatus('inbox', 'running', 12);
    // A destroyed wok's status is never refreshed again, and must not count.
    await cp.setStatus('old', 'destroyed', 86_400);
  });
  afterEach(async () => {
    for (const f of cleanup.splice(0).reverse()) await f();
  });
  afterAll(async () => {
    await cp.drop();
  });

  async function run(logs?: PlatformLogs) {
    const s = tempStore();
    cleanup.push(() => s.close());
    if (logs) await logs.ingestInto(s.store);
    const db = cpDatabase(TEST_DB_URL, cp.schema);
    cleanup.push(() => db.close());
    return runCheck(reconcilerCheck, checkDeps(s.store, { now: NOW, cp: db }));
  }

  it('every active wok refreshed within a minute, all with a functions port: pass', async () => {
    const o = await run();
    expect(o.status).toBe('pass');
    const age = reading(o, 'statusAge');
    expect(age).toMatchObject({ status: 'pass', observedUnit: 's' });
    expect(age.observedValue).toBeGreaterThanOrEqual(12);
    expect(age.observedValue).toBeLessThan(60);
    expect(reading(o, 'functionsPort')).toMatchObject({ status: 'pass', observedValue: 0 });
  });

  it('a status older than the threshold is warn, ten times older is fail, naming the stalest wok', async () => {
    await cp.setStatus('inbox', 'running', 150);
    let o = await run();
    expect(reading(o, 'statusAge').status).toBe('warn');
    expect(reading(o, 'statusAge').output).toMatch(/^1 of 2 active woks has a status older than 1 min \(stalest: inbox, 15\d s\)$/);
    expect(details(o, 'wokStatusAge').map((d) => [d.componentId, d.status])).toEqual([['inbox', 'warn']]);

    await cp.setStatus('inbox', 'running', 900);
    o = await run();
    expect(o.status).toBe('fail');
    expect(reading(o, 'statusAge').observedValue).toBeGreaterThanOrEqual(900);
    await cp.setStatus('inbox', 'running', 12);
  });

  it('an active wok with no status row at all is warn', async () => {
    await cp.addWok({ id: 'fresh', org: 'acme', functionsPort: 7103 });
    cleanup.push(async () => {
      await cp.sql(`DELETE FROM "${cp.source}".woks WHERE id = 'fresh'`);
    });
    const o = await run();
    expect(reading(o, 'statusAge')).toMatchObject({ status: 'warn' });
    expect(reading(o, 'statusAge').output).toBe('1 active wok has no status row (stalest: fresh, never refreshed)');
  });

  it('active woks without functions_port are warn, listed', async () => {
    await cp.addWok({ id: 'legacy', org: 'acme', functionsPort: null });
    await cp.setStatus('legacy', 'running', 3);
    cleanup.push(async () => {
      await cp.sql(`DELETE FROM "${cp.source}".woks WHERE id = 'legacy'`);
    });
    const o = await run();
    expect(reading(o, 'functionsPort')).toMatchObject({ status: 'warn', observedValue: 1 });
    expect(reading(o, 'functionsPort').output).toMatch(/: legacy$/);
  });

  it('CP_STATUS_STALE and CP_FUNCTIONS_NOT_ENABLED answers from the logs', async () => {
    const logs = new PlatformLogs();
    cleanup.push(() => logs.remove());
    for (let i = 0; i < 6; i++) logs.request({ time: NOW - 5 * MIN + i * 1000, path: '/v1/woks/inbox', status: 503, code: 'CP_STATUS_STALE', wok: 'inbox', org: 'acme' });
    logs.request({ time: NOW - 4 * MIN, method: 'POST', path: '/v1/woks/legacy/functions/hello/invoke', status: 503, code: 'CP_FUNCTIONS_NOT_ENABLED', wok: 'legacy', org: 'acme' });
    const o = await run(logs);
    expect(reading(o, 'statusStale')).toMatchObject({ status: 'fail', observedValue: 6 });
    expect(reading(o, 'functionsNotEnabled')).toMatchObject({ status: 'warn', observedValue: 1 });
    expect(o.status).toBe('fail');
  });

  it('without the cp database: warn "not configured", and the log readings still work', async () => {
    const s = tempStore();
    cleanup.push(() => s.close());
    const o = await runCheck(reconcilerCheck, checkDeps(s.store, { now: NOW }));
    expect(o.status).toBe('warn');
    expect(reading(o, 'statusAge').output).toMatch(/^not configured: /);
    expect(reading(o, 'statusStale').status).toBe('pass');
  });
});
