import { appendFileSync } from 'node:fs';
import path from 'node:path';
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
      expect(reading(o, 'lastLine', src)).toMatchObject({ status: 'warn', output: `no ${src} line has ever been ingested` });
      expect(reading(o, 'lastLine', src)).not.toHaveProperty('observedValue');
    }
  });

  it('every source recent: pass, with when each one\'s newest line was logged (RFC 3339) and its age beside it', async () => {
    const o = await run((logs) => everySource(logs, MIN));
    expect(o.status).toBe('pass');
    // The cp's newest line is its request's completion line (a few ms after the start).
    const cp = reading(o, 'lastLine', 'cp');
    expect(cp.observedValue).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(Date.parse(String(cp.observedValue)) - (NOW - MIN)).toBeLessThan(1000);
    expect(cp.context).toBe('60 s before this reading');
    expect(reading(o, 'lastLine', 'cp')).not.toHaveProperty('observedUnit');
    expect(reading(o, 'lastLine', 'audit').observedValue).toBe(new Date(NOW - 2 * MIN).toISOString());
    // The container's newest line is the last of PostgreSQL's startup lines (a few ms after the first).
    expect(Date.parse(String(reading(o, 'lastLine', 'container').observedValue)) - (NOW - 3 * MIN)).toBeLessThan(1000);
    expect(reading(o, 'unparsed')).toMatchObject({ status: 'pass', observedValue: 0 });
    expect(reading(o, 'lag')).toMatchObject({ status: 'pass', observedValue: 0 });
  });

  it('lag is what the files hold now beyond what was read: lines appended after the ingest (a stopped follower) count', async () => {
    const s = tempStore();
    cleanup.push(() => s.close());
    const logs = new PlatformLogs();
    cleanup.push(() => logs.remove());
    everySource(logs, MIN);
    await logs.ingestInto(s.store);
    const more = 'x'.repeat(999) + '\n';
    appendFileSync(path.join(logs.dir, 'logs', 'cp.log'), more);
    const o = await runCheck(ingestCheck, checkDeps(s.store, { now: NOW }));
    expect(reading(o, 'lag')).toMatchObject({ status: 'pass', observedValue: more.length });
    expect(details(o, 'streamLag').map((d) => [String(d.componentId).endsWith('cp.log'), d.observedValue])).toEqual([[true, more.length]]);
  });

  it('the cp gone silent for 20 minutes: warn naming it', async () => {
    const o = await run((logs) => everySource(logs, 20 * MIN));
    expect(o.status).toBe('warn');
    expect(reading(o, 'lastLine', 'cp').status).toBe('warn');
    expect(Date.parse(String(reading(o, 'lastLine', 'cp').observedValue)) - (NOW - 20 * MIN)).toBeLessThan(1000);
    expect(reading(o, 'lastLine', 'cp').output).toMatch(/^no cp line for 20 min \(silent after 15 min\)/);
    expect(reading(o, 'lastLine', 'audit').status).toBe('pass');
  });

  it('lines that parse as nothing: warn at 1 %, fail at 25 %, per stream in verbose details', async () => {
    const warn = await run((logs) => {
      everySource(logs, MIN);
      logs.raw('mixed.log', [...Array.from({ length: 60 }, (_, i) => JSON.stringify({ level: 30, time: NOW - MIN + i, msg: 'tick', correlation_id: null })), 'kernel: eth0 link up']);
    });
    expect(reading(warn, 'unparsed').status).toBe('warn');
    expect(details(warn, 'streamUnparsed').map((d) => d.output)).toEqual(['1 of 61 lines unparsed']);

    const fail = await run((logs) => {
      everySource(logs, MIN);
      logs.raw('garbage.log', ['<html>', 'not a log line', '\u0000\u0001 binary', 'Traceback (most recent call last):']);
    });
    expect(fail.status).toBe('fail');
    expect(reading(fail, 'unparsed').output).toMatch(/^4 of \d+ lines parsed as nothing/);
  });
});
