import { describe, expect, it } from 'vitest';
import { pgShutdown, pgStartup, type PgLineInput } from '../../scripts/formats/postgres-log.js';
import { containerState } from '../../src/diag/container-state.js';
import { PlatformLogs, tempStore } from './fixtures/platform-logs.js';

const NOW = Date.now();
const MIN = 60_000;
const RULE = { loopStarts: 3, loopWindowMs: 10 * MIN };

/** The lifecycle records ingest derives from a db container's real PostgreSQL lines. */
async function stateOf(lines: PgLineInput[], now = NOW) {
  const s = tempStore();
  const logs = new PlatformLogs();
  try {
    const id = logs.container('wok-shopfront-db', 'shopfront', 'db', NOW - 60 * MIN);
    logs.pg(id, lines);
    await logs.ingestInto(s.store);
    const records = await s.store.lifecycle({ from: 0, to: now + 1, wok: 'shopfront' });
    return containerState(records, now, RULE);
  } finally {
    logs.remove();
    await s.close();
  }
}

const crash = (t: number): PgLineInput[] => [
  { time: t, pid: 1, severity: 'LOG', message: 'server process (PID 212) was terminated by signal 9: Killed' },
  { time: t + 1, pid: 1, severity: 'LOG', message: 'terminating any other active server processes' },
  { time: t + 5, pid: 1, severity: 'LOG', message: 'all server processes terminated; reinitializing' },
  { time: t + 40, pid: 230, severity: 'LOG', message: 'database system was interrupted; last known up at 2026-11-24 20:01:00 UTC' },
  { time: t + 60, pid: 230, severity: 'LOG', message: 'database system was not properly shut down; automatic recovery in progress' },
];

describe('a container\'s condition from its own log', () => {

  it('one clean start: ready since the "ready to accept connections" line, one boot', async () => {
    const s = await stateOf(pgStartup(NOW - 30 * MIN));
    expect(s).toMatchObject({ condition: 'ready', since: NOW - 30 * MIN + 14, boots: 1, crashes: 0 });
  });

  it('a restart (fast shutdown, then a start): ready again, two boots', async () => {
    const s = await stateOf([...pgStartup(NOW - 30 * MIN), ...pgShutdown(NOW - 5 * MIN), ...pgStartup(NOW - 4 * MIN)]);
    expect(s).toMatchObject({ condition: 'ready', since: NOW - 4 * MIN + 14, boots: 2 });
  });

  it('stopped and not started again: shut down since the last line', async () => {
    const s = await stateOf([...pgStartup(NOW - 30 * MIN), ...pgShutdown(NOW - 5 * MIN)]);
    expect(s).toMatchObject({ condition: 'shut down', since: NOW - 5 * MIN + 40 });
  });

  it('between a start and ready: restarting', async () => {
    const boot = pgStartup(NOW - MIN).slice(0, 4);
    const s = await stateOf([...pgStartup(NOW - 30 * MIN), ...pgShutdown(NOW - 2 * MIN), ...boot]);
    expect(s).toMatchObject({ condition: 'restarting', since: NOW - MIN });
  });

  it('a backend killed, crash recovery under way: recovering; three crashes in ten minutes: crash-looping', async () => {
    const once = await stateOf([...pgStartup(NOW - 30 * MIN), ...crash(NOW - 2 * MIN)]);
    expect(once).toMatchObject({ condition: 'recovering', crashes: 1 });
    const loop = await stateOf([...pgStartup(NOW - 30 * MIN), ...crash(NOW - 9 * MIN), ...crash(NOW - 6 * MIN), ...crash(NOW - 3 * MIN)]);
    expect(loop).toMatchObject({ condition: 'crash-looping', since: NOW - 9 * MIN, crashes: 3 });
  });

  it('a crash loop is since its first crash, however long it goes on; its boots are counted from there', async () => {
    const lines = [...pgStartup(NOW - 60 * MIN)];
    for (let t = NOW - 30 * MIN; t < NOW; t += 3 * MIN) lines.push(...crash(t));
    const s = await stateOf(lines);
    expect(s).toMatchObject({ condition: 'crash-looping', since: NOW - 30 * MIN, crashes: 10 });
    // A fast shutdown just before the first crash began it: the loop is since then.
    const stopped = await stateOf([...pgStartup(NOW - 60 * MIN), ...pgShutdown(NOW - 31 * MIN).slice(0, 1), ...lines.slice(pgStartup(0).length)]);
    expect(stopped).toMatchObject({ condition: 'crash-looping', since: NOW - 31 * MIN });
  });

  it('no lifecycle line at all: unknown', () => {
    expect(containerState([], NOW, RULE)).toMatchObject({ condition: 'unknown', since: null });
  });
});
