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
    expect(reading(o, 'unhealthyContainers')).toMatchObject({ status: 'pass', observedValue: 0, observedUnit: 'containers', context: 'of 1' });
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
    expect(reading(o, 'unhealthyContainers').output).toMatch(/^wok-inbox-functions \(wok inbox\): shutting down since \d\d:\d\d:\d\d$/);
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
    expect(reading(o, 'unhealthyContainers')).toMatchObject({ status: 'fail', observedValue: 1, observedUnit: 'containers', context: 'of 2' });
    expect(reading(o, 'unhealthyContainers').output).toMatch(/wok-inbox-functions \(wok inbox\): crash-looping since .*, 3 boots/);
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
    expect(reading(o, 'invokeFailures').links).toEqual([{ rel: 'related', href: expect.stringMatching(/^\/tickets\/[0-9a-f]{16}$/), title: 'sample request' }]);
    expect(reading(o, 'invokeFailures').affectedEndpoints).toEqual(['/v1/woks/{id}/functions/{name}/invoke']);
  });

  it('a crash loop is "since" the shutdown that began it, in every reading as the loop goes on', async () => {
    const T = NOW - 40 * MIN;
    let sinceText = '';
    const outputs: string[] = [];
    // The same logs read at three moments of the loop: the start it names never moves.
    for (const readAt of [T + 2 * MIN, T + 20 * MIN, T + 39 * MIN]) {
      const s = tempStore();
      cleanup.push(() => s.close());
      const logs = new PlatformLogs();
      cleanup.push(() => logs.remove());
      await s.store.putInventory({ orgs: [{ slug: 'acme' }], woks: [{ id: 'inbox', org: 'acme', status: 'active' }], keys: [] });
      const fn = logs.container('wok-inbox-functions', 'inbox', 'functions', NOW - 3 * HOUR);
      boot(logs, fn, NOW - 2 * HOUR);
      logs.fn(fn, T, 'info', { signal: 'SIGTERM' }, 'SIGTERM received, graceful shutdown');
      // Docker's restart backoff: 100 ms doubling, up to a minute.
      for (let at = T + 700, delay = 100; at < NOW; delay = Math.min(delay * 2, 60_000), at += 300 + delay) {
        logs.fn(fn, at, 'info', { version: '1.8.2' }, 'starting functions runtime');
        logs.fn(fn, at + 143, 'fatal', { function: 'send-digest' }, 'uncaught exception while loading functions');
      }
      await logs.ingestInto(s.store);
      const o = await runCheck(functionsCheck, checkDeps(s.store, { now: readAt }));
      expect(o.status).toBe('fail');
      const out = reading(o, 'unhealthyContainers').output!;
      outputs.push(out);
      sinceText = new Date(T).toISOString().slice(11, 19);
      expect(out).toMatch(new RegExp(`^wok-inbox-functions \\(wok inbox\\): crash-looping since ${sinceText}, \\d+ boots$`));
      expect(details(o, 'containers')[0]!.output).toMatch(new RegExp(`^crash-looping since ${sinceText}, \\d+ boots$`));
    }
    // The boots so far grow; the start does not.
    const boots = outputs.map((x) => Number(/(\d+) boots$/.exec(x)![1]));
    expect(boots[0]).toBeLessThan(boots[1]!);
    expect(boots[1]).toBeLessThan(boots[2]!);
  });

  it('the sample is a request on the crash-looping runtime\'s wok, not a CP_FUNCTIONS_NOT_ENABLED on another (the reconciler\'s finding, not counted)', async () => {
    let onInbox = '';
    const o = await run((logs) => {
      healthy(logs);
      const fn = logs.container('wok-inbox-functions', 'inbox', 'functions', NOW - HOUR);
      for (const at of [NOW - 9 * MIN, NOW - 6 * MIN, NOW - 3 * MIN]) {
        logs.fn(fn, at, 'info', { version: '1.8.2' }, 'starting functions runtime');
        logs.fn(fn, at + 143, 'fatal', { function: 'send-digest' }, 'uncaught exception while loading functions');
      }
      onInbox = logs.request({ time: NOW - 4 * MIN, method: 'POST', path: '/v1/woks/inbox/functions/send-digest/invoke', status: 502, code: 'CP_FUNCTION_RUNTIME_UNAVAILABLE', wok: 'inbox', org: 'acme' });
      // Newer, on another wok, and the reconciler's business.
      logs.request({ time: NOW - MIN, method: 'POST', path: '/v1/woks/shopfront/functions/nightly/invoke', status: 503, code: 'CP_FUNCTIONS_NOT_ENABLED', wok: 'shopfront', org: 'acme' });
      // Newer still, a 5xx on a healthy runtime's wok.
      logs.request({ time: NOW - 30_000, method: 'POST', path: '/v1/woks/shopfront/functions/hello/invoke', status: 500, code: 'CP_INTERNAL', wok: 'shopfront', org: 'acme' });
    });
    expect(reading(o, 'invokeFailures')).toMatchObject({ status: 'warn', observedValue: 2 });
    expect(reading(o, 'invokeFailures').links).toEqual([{ rel: 'related', href: `/tickets/${onInbox}`, title: 'sample request' }]);
    expect(reading(o, 'unhealthyContainers').links).toEqual([{ rel: 'about', href: '/diag/wok/inbox', title: 'wok inbox' }]);
  });
});
