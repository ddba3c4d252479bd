import { afterEach, describe, expect, it } from 'vitest';
import { ingestCheck } from '../../../src/diag/checks/ingest.js';
import { pgStartup } from '../../../scripts/formats/postgres-log.js';
import { checkDeps } from '../fixtures/diag-deps.js';
import { PlatformLogs, tempStore } from '../fixtures/platform-logs.js';
import { details, reading, runCheck } from '../fixtures/run-check.js';

const NOW = Date.now();
const MIN = 60_000;

describe('ingest check', () => {
  const cleanup: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const f of cleanup.splice(0).reverse()) await f();
  });

  async function run(build?: (logs: PlatformLogs) => void) {
    const s = tempStore();
    cleanup.push(() => s.close());
    if (build) {
      const logs = new PlatformLogs();
      cleanup.push(() => logs.remove());
      build(logs);
      await logs.ingestInto(s.store);
    }
    return runCheck(ingestCheck, checkDeps(s.store, { now: NOW }));
  }

  function everySource(logs: PlatformLogs, cpAgo: number) {
    logs.request({ time: NOW - cpAgo, path: '/v1/woks', status: 200, org: 'acme' });
    logs.audit({ time: NOW - 2 * MIN, actor: 'maria@acme.test', org: 'acme', action: 'env.set', outcome: 'success', wokId: 'shopfront' });
    const db = logs.container('wok-shopfront-db', 'shopfront', 'db', NOW - 60 * MIN);
    logs.pg(db, pgStartup(NOW - 3 * MIN));
  }

  it('nothing ingested yet: warn for every source — no errors is not no data', async () => {
    const o = await run();
    expect(o.status).toBe('warn');
    for (const src of ['cp', 'container', 'audit']) {
      expect(reading(o, 'lastLine', src)).toMatchObject({ status: 'warn', observedValue: null, output: `no ${src} line has ever been ingested` });
    }
  });

  it('every source recent: pass, with each one\'s age', async () => {
    const o = await run((logs) => everySource(logs, MIN));
    expect(o.status).toBe('pass');
    expect(reading(o, 'lastLine', 'cp').observedValue).toBe(60);
    expect(reading(o, 'lastLine', 'audit').observedValue).toBe(120);
    expect(reading(o, 'lastLine', 'container').observedValue).toBe(180);
    expect(reading(o, 'unparsed')).toMatchObject({ status: 'pass', observedValue: 0 });
    expect(reading(o, 'lag')).toMatchObject({ status: 'pass', observedValue: 0 });
  });

  it('the cp gone silent for 20 minutes: warn naming it', async () => {
    const o = await run((logs) => everySource(logs, 20 * MIN));
    expect(o.status).toBe('warn');
    expect(reading(o, 'lastLine', 'cp')).toMatchObject({ status: 'warn', observedValue: 1200 });
    expect(reading(o, 'lastLine', 'cp').output).toMatch(/^no cp line for 20 min \(silent after 15 min\)/);
    expect(reading(o, 'lastLine', 'audit').status).toBe('pass');
  });

  it('lines that parse as nothing: warn at 1 %, fail at 25 %, per stream in verbose details', async () => {
    const warn = await run((logs) => {
      everySource(logs, MIN);
      logs.raw('mixed.log', [...Array.from({ length: 60 }, (_, i) => JSON.stringify({ level: 30, time: NOW - MIN + i, msg: 'tick', correlation_id: null })), 'kernel: eth0 link up']);
    });
    expect(reading(warn, 'unparsed').status).toBe('warn');
    expect(details(warn, 'unparsed').map((d) => d.output)).toEqual(['1 of 61 lines unparsed']);

    const fail = await run((logs) => {
      everySource(logs, MIN);
      logs.raw('garbage.log', ['<html>', 'not a log line', '\u0000\u0001 binary', 'Traceback (most recent call last):']);
    });
    expect(fail.status).toBe('fail');
    expect(reading(fail, 'unparsed').output).toMatch(/^4 of \d+ lines parsed as nothing/);
  });
});
