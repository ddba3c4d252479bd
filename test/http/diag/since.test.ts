/**
 * One "since" for one episode: a functions runtime crash-looping for half an
 * hour (history replayed from the logs, as the demo does) is "since" the
 * shutdown that began it in the /diag reading and strip, in health+json and
 * in the ticket's "health at the time" of a request that failed during it.
 */
import { parse } from 'parse5';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalog } from '../../../src/catalog/catalog.js';
import { replayHistory } from '../../../src/diag/replay.js';
import { storeInventory } from '../../../src/store/store-inventory.js';
import { PlatformLogs } from '../../diag/fixtures/platform-logs.js';
import { diagApp, type DiagApp } from './fixtures/diag-app.js';
import { elements, hasClass, textOf } from './fixtures/html.js';

const MIN = 60_000;
const NOW = Date.now();
/** The runtime was told to stop (an env var removed) 30 minutes ago and has crashed at every boot since. */
const BROKE = NOW - 30 * MIN;
const SINCE = `since ${new Date(BROKE).toISOString().slice(11, 19)}`;

describe('"since" is the start of the episode everywhere', () => {
  let a: DiagApp;
  let logs: PlatformLogs;
  let failed = '';

  beforeAll(async () => {
    logs = new PlatformLogs();
    const fn = logs.container('wok-inbox-fn', 'inbox', 'functions', NOW - 3 * 60 * MIN);
    logs.fn(fn, NOW - 2 * 60 * MIN, 'info', { version: '1.8.2' }, 'starting functions runtime');
    logs.fn(fn, NOW - 2 * 60 * MIN + 190, 'info', { port: 8080 }, 'runtime listening on :8080');
    logs.fn(fn, BROKE, 'info', { signal: 'SIGTERM' }, 'SIGTERM received, graceful shutdown');
    for (let at = BROKE + 700, delay = 100; at < NOW - 5000; delay = Math.min(delay * 2, 60_000), at += 300 + delay) {
      logs.fn(fn, at, 'info', { version: '1.8.2' }, 'starting functions runtime');
      logs.fn(fn, at + 143, 'fatal', { function: 'send-digest' }, 'uncaught exception while loading functions');
    }
    failed = logs.request({ time: NOW - 12 * MIN, method: 'POST', path: '/v1/woks/inbox/functions/send-digest/invoke', status: 502, code: 'CP_FUNCTION_RUNTIME_UNAVAILABLE', wok: 'inbox', org: 'acme' });
    a = await diagApp({
      woks: [{ id: 'inbox', org: 'acme', status: 'active' }],
      seed: async (store) => {
        await logs.ingestInto(store);
        await replayHistory({ store, inventory: storeInventory(store), catalog, from: NOW - 60 * MIN, to: NOW });
      },
    });
  });

  afterAll(async () => {
    await a?.close();
    logs?.remove();
  });

  it('health+json, the /diag reading and its strip, and the ticket all say the same "since"', async () => {
    const doc = (await a.get('/v1/diag/functions?verbose', a.operator)).json() as { checks: Record<string, { output?: string }[]> };
    expect(doc.checks['functions:unhealthyContainers']![0]!.output).toMatch(new RegExp(`^wok-inbox-fn \\(wok inbox\\): crash-looping ${SINCE}, \\d+ boots$`));
    expect(doc.checks['functions:containers']![0]!.output).toContain(SINCE);

    const page = parse((await a.get('/diag', a.operator, 'text/html')).text);
    const reading = elements(page, (e) => e.tagName === 'tr' && hasClass(e, 'rd-fail')).map(textOf).find((t) => t.includes('functions:unhealthyContainers'))!;
    expect(reading).toContain(SINCE);
    const strip = elements(page, (e) => e.tagName === 'summary' && e.attrs.some((x) => x.name === 'aria-label' && x.value.startsWith('functions ')));
    const failBars = elements(strip[0]!, (e) => e.tagName === 'rect' && hasClass(e, 'sb-fail')).map(textOf);
    expect(failBars.length).toBeGreaterThan(0);
    for (const title of failBars) expect(title).toContain(SINCE);

    const ticket = (await a.get(`/v1/tickets/${failed}`, a.operator)).json() as { health: { check: string; status: string; output: string | null }[] };
    const fn = ticket.health.filter((h) => h.check === 'functions');
    expect(fn.map((h) => h.status)).toEqual(['fail']);
    expect(fn[0]!.output).toContain(SINCE);
  });
});
