import { afterEach, describe, expect, it } from 'vitest';
import { functionsCheck } from '../../../src/diag/checks/functions.js';
import { pgShutdown, pgStartup } from '../../../scripts/formats/postgres-log.js';
import { checkDeps } from '../fixtures/diag-deps.js';
import { PlatformLogs, tempStore } from '../fixtures/platform-logs.js';
import { details, reading, runCheck } from '../fixtures/run-check.js';

const NOW = Date.now();
const MIN = 60_000;
const HOUR = 60 * MIN;

/** The functions runtime's boot, as it logs it. */
function boot(logs: PlatformLogs, ctr: string, at: number): void {
  logs.fn(ctr, at, 'info', { version: '1.8.2', node: 'v20.18.0' }, 'starting functions runtime');
  logs.fn(ctr, at + 180, 'info', { functions: ['hello'] }, 'loaded 1 functions');
  logs.fn(ctr, at + 195, 'info', { port: 8080 }, 'runtime listening on :8080');
}

describe('functions check', () => {
  const cleanup: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const f of cleanup.splice(0).reverse()) await f();
  });

  async function run(build: (logs: PlatformLogs) => void) {
    const s = tempStore();
    cleanup.push(() => s.close());
    const logs = new PlatformLogs();
    cleanup.push(() => logs.remove());
    await s.store.putInventory({
      orgs: [{ slug: 'acme' }],
      woks: [
        { id: 'shopfront', org: 'acme', status: 'active' },
        { id: 'inbox', org: 'acme', status: 'active' },
        { id: 'old', org: 'acme', status: 'destroyed' },
      ],
      keys: [],
    });
    build(logs);
    await logs.ingestInto(s.store);
    return runCheck(functionsCheck, checkDeps(s.store, { now: NOW }));
  }

  function healthy(logs: PlatformLogs) {
    const fn = logs.container('wok-shopfront-functions', 'shopfront', 'functions', NOW - 3 * HOUR);
    boot(logs, fn, NOW - 2 * HOUR);
    const db = logs.container('wok-shopfront-db', 'shopfront', 'db', NOW - 3 * HOUR);
    // A db restart is the db's business, not this check's.
    logs.pg(db, [...pgStartup(NOW - 2 * HOUR), ...pgShutdown(NOW - 5 * MIN), ...pgStartup(NOW - 4 * MIN)]);
  }

  it('every functions runtime up since its last boot: pass', async () => {
    const o = await run(healthy);
    expect(o.status).toBe('pass');
    expect(reading(o, 'containers')).toMatchObject({ status: 'pass', observedValue: 0, observedUnit: 'of 1 unhealthy' });
    expect(details(o, 'containers').map((d) => [d.componentId, d.observedValue])).toEqual([['wok-shopfront-functions', 'ready']]);
    expect(reading(o, 'invokeFailures')).toMatchObject({ status: 'pass', observedValue: 0 });
  });

  it('a runtime that received SIGTERM and did not come back: warn', async () => {
    const o = await run((logs) => {
      healthy(logs);
      const fn = logs.container('wok-inbox-functions', 'inbox', 'functions', NOW - 3 * HOUR);
      boot(logs, fn, NOW - 2 * HOUR);
      logs.fn(fn, NOW - 20 * MIN, 'info', { signal: 'SIGTERM' }, 'SIGTERM received, graceful shutdown');
    });
    expect(o.status).toBe('warn');
    expect(reading(o, 'containers').output).toMatch(/^wok-inbox-functions \(wok inbox\): shutting down since \d\d:\d\d:\d\d$/);
  });

  it('a runtime that dies at every boot is crash-looping: fail; a destroyed wok\'s runtime is ignored', async () => {
    const o = await run((logs) => {
      healthy(logs);
      const fn = logs.container('wok-inbox-functions', 'inbox', 'functions', NOW - HOUR);
      for (const at of [NOW - 9 * MIN, NOW - 6 * MIN, NOW - 3 * MIN]) {
        logs.fn(fn, at, 'info', { version: '1.8.2' }, 'starting functions runtime');
        logs.fn(fn, at + 143, 'fatal', { function: 'send-digest' }, 'uncaught exception while loading functions');
      }
      const gone = logs.container('wok-old-functions', 'old', 'functions', NOW - HOUR);
      logs.fn(gone, NOW - 30 * MIN, 'fatal', {}, 'uncaught exception while loading functions');
    });
    expect(o.status).toBe('fail');
    expect(reading(o, 'containers')).toMatchObject({ status: 'fail', observedValue: 1, observedUnit: 'of 2 unhealthy' });
    expect(reading(o, 'containers').output).toMatch(/wok-inbox-functions \(wok inbox\): crash-looping since .*, 3 boots/);
    expect(details(o, 'containers').map((d) => d.componentId).sort()).toEqual(['wok-inbox-functions', 'wok-shopfront-functions']);
  });

  it('5xx on functions routes count as invoke failures; a 404 for a missing function does not', async () => {
    const o = await run((logs) => {
      healthy(logs);
      for (let i = 0; i < 3; i++) {
        logs.request({ time: NOW - 5 * MIN + i, method: 'POST', path: '/v1/woks/shopfront/functions/hello/invoke', status: 502, code: 'CP_FUNCTION_RUNTIME_UNAVAILABLE', wok: 'shopfront', org: 'acme' });
      }
      logs.request({ time: NOW - 4 * MIN, method: 'POST', path: '/v1/woks/shopfront/functions/helo/invoke', status: 404, code: 'CP_FUNCTION_NOT_FOUND', wok: 'shopfront', org: 'acme' });
      logs.request({ time: NOW - 4 * MIN, method: 'POST', path: '/v1/woks/shopfront/functions/hello/invoke', status: 200, wok: 'shopfront', org: 'acme' });
    });
    expect(reading(o, 'invokeFailures')).toMatchObject({ status: 'warn', observedValue: 3 });
    expect(reading(o, 'invokeFailures').links?.sample).toMatch(/^\/tickets\/[0-9a-f]{16}$/);
  });
});
