import { appendFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ingestCheck } from '../../../src/diag/checks/ingest.js';
import type { IngestStatus } from '../../../src/model/ingest-status.js';
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

  describe("this server's follow thread (writes)", () => {
    const error = 'writing a batch: cannot reach PostgreSQL at db-1:5432/diag (ECONNREFUSED)';

    async function withIngest(status: IngestStatus | null, closed = false) {
      const s = tempStore();
      if (closed) await s.close();
      else cleanup.push(() => s.close());
      return runCheck(ingestCheck, { ...checkDeps(s.store, { now: NOW }), ingest: () => status });
    }

    it('not following: no reading', async () => {
      const o = await withIngest(null);
      expect(o.measurements.some((m) => m.measurement === 'writes')).toBe(false);
    });

    it('writing: pass, with the last pause beside it', async () => {
      const o = await withIngest({ state: 'writing', restarts: 0, lastStoreError: { message: error, at: NOW - 90_000, pausedMs: 4200 } });
      expect(reading(o, 'writes')).toMatchObject({ status: 'pass', observedValue: 'writing', context: `last paused 90 s ago for 4.2 s: ${error}` });
    });

    it('paused on a store error: warn, then fail after a minute, naming the error and the next try', async () => {
      const paused = (ago: number): IngestStatus => ({ state: 'paused', restarts: 0, since: NOW - ago, retryAt: NOW + 4000, error, lastStoreError: { message: error, at: NOW - 1000, pausedMs: null } });
      const soon = await withIngest(paused(10_000));
      expect(reading(soon, 'writes')).toMatchObject({ status: 'warn', observedValue: 'paused', output: `ingest paused for 10 s: ${error}; checkpoints stay where they were; next try in 4 s` });
      const long = await withIngest(paused(2 * MIN));
      expect(long.status).toBe('fail');
      expect(reading(long, 'writes')).toMatchObject({ status: 'fail', output: expect.stringMatching(/^ingest paused for 120 s: /) as unknown });
    });

    it('the thread not running: fail', async () => {
      const o = await withIngest({ state: 'stopped', restarts: 3, lastStoreError: null });
      expect(reading(o, 'writes')).toMatchObject({ status: 'fail', output: 'the follow thread is not running: nothing is ingested; the follow thread was started again 3 times' });
    });

    it('the store cannot be read either: the check still says what the follow thread is doing', async () => {
      const o = await withIngest({ state: 'paused', restarts: 0, since: NOW - 5000, retryAt: null, error, lastStoreError: null }, true);
      expect(o.status).toBe('fail');
      expect(reading(o, 'lastLine').output).toMatch(/^cannot read the store: /);
      expect(reading(o, 'writes')).toMatchObject({ status: 'warn', observedValue: 'paused' });
    });
  });
});
