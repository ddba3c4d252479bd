import { afterEach, describe, expect, it } from 'vitest';
import { catalog } from '../../src/catalog/catalog.js';
import { episodes } from '../../src/diag/history.js';
import { replayHistory } from '../../src/diag/replay.js';
import { healthDuring } from '../../src/diag/ticket-health.js';
import { storeInventory } from '../../src/store/store-inventory.js';
import { PlatformLogs, tempStore } from './fixtures/platform-logs.js';

const MIN = 60_000;
const T = Math.floor(Date.now() / MIN) * MIN;

describe('history replayed from the logs', () => {
  const cleanup: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const f of cleanup.splice(0).reverse()) await f();
  });

  it('an LLM outage an hour ago becomes a fail episode, and the ticket of a request in it names it', async () => {
    const s = tempStore();
    cleanup.push(() => s.close());
    const logs = new PlatformLogs();
    cleanup.push(() => logs.remove());
    for (let m = 90; m > 0; m -= 2) logs.request({ time: T - m * MIN, path: '/v1/woks', status: 200 });
    let during = '';
    for (let i = 0; i < 10; i++) during = logs.request({ time: T - 60 * MIN + i * 30_000, method: 'POST', path: '/v1/llm/chat/completions', status: 502, code: 'CP_LLM_UPSTREAM_FAILED' });
    await logs.ingestInto(s.store);

    const n = await replayHistory({ store: s.store, inventory: storeInventory(s.store), catalog, from: T - 90 * MIN, to: T, stepMs: MIN });
    expect(n).toBe(91 * 6);
    const records = await s.store.checkHistory({ from: 0, to: T + 1 });
    const llm = episodes(records.filter((r) => r.check === 'llm_upstream'), { maxGapMs: 3 * MIN });
    // Failures at −60 … −55.5 min: warn from the first, fail from the fifth, warn when fewer than five
    // are left in the 15 min window, pass once the last one left it.
    expect(llm.map((e) => [e.status, (e.from - T) / MIN, e.to === null ? null : (e.to - T) / MIN])).toEqual([
      ['warn', -60, -58],
      ['fail', -58, -42],
      ['warn', -42, -40],
    ]);
    const failure = await s.store.eventsByCid(during);
    const at = failure[0]!.time;
    const shown = await healthDuring(s.store, at, at);
    expect(shown.map((e) => [e.check, e.status])).toEqual([['llm_upstream', 'fail']]);
    // The cp database was never configured: that warning is stored, but explains no request.
    expect(records.filter((r) => r.check === 'cp_db').every((r) => r.status === 'warn' && r.output?.startsWith('not configured'))).toBe(true);
  });
});
