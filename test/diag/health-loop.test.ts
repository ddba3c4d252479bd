import { afterEach, describe, expect, it } from 'vitest';
import { catalog } from '../../src/catalog/catalog.js';
import { ALL_CHECKS } from '../../src/diag/checks/all-checks.js';
import { diagConfig } from '../../src/diag/diag-config.js';
import { createDiagServices } from '../../src/diag/diag-services.js';
import { startHealthLoop } from '../../src/diag/health-loop.js';
import { silentLogger } from '../../src/logging/logger.js';
import { systemClock } from '../../src/clock.js';
import { storeInventory } from '../../src/store/store-inventory.js';
import { PlatformLogs, tempStore } from './fixtures/platform-logs.js';

describe('the background health loop', () => {
  const cleanup: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const f of cleanup.splice(0).reverse()) await f();
  });

  it('stores one record per check per round, with the reason when not pass, and prunes past retention', async () => {
    const s = tempStore();
    cleanup.push(() => s.close());
    const logs = new PlatformLogs();
    cleanup.push(() => logs.remove());
    for (let i = 0; i < 6; i++) logs.request({ time: Date.now() - 60_000 + i, method: 'POST', path: '/v1/llm/chat/completions', status: 502, code: 'CP_LLM_UPSTREAM_FAILED' });
    await logs.ingestInto(s.store);
    // A record from long ago, past the retention.
    await s.store.recordChecks([{ check: 'cp_db', status: 'fail', time: Date.now() - 30 * 86_400_000, output: 'old' }]);

    const diag = createDiagServices({ store: s.store, inventory: storeInventory(s.store), catalog, clock: systemClock, config: diagConfig({ intervalMs: 40, cacheMs: 0 }) });
    const loop = startHealthLoop({ runner: diag.runner, store: s.store, logger: silentLogger(), intervalMs: 40, retentionMs: 7 * 86_400_000 });
    cleanup.push(() => loop.stop());
    const deadline = Date.now() + 5000;
    let rows = await s.store.checkHistory({ from: 0, to: Date.now() + 1000 });
    while (rows.length < 3 * ALL_CHECKS.length && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 40));
      rows = await s.store.checkHistory({ from: 0, to: Date.now() + 1000 });
    }
    await loop.stop();
    rows = await s.store.checkHistory({ from: 0, to: Date.now() + 1000 });
    expect(rows.length).toBeGreaterThanOrEqual(3 * ALL_CHECKS.length);
    expect(rows.some((r) => r.output === 'old')).toBe(false);
    const llm = rows.filter((r) => r.check === 'llm_upstream');
    expect(llm.every((r) => r.status === 'fail')).toBe(true);
    expect(llm[0]!.output).toMatch(/^6 requests failed with CP_LLM_UPSTREAM_FAILED in the last 15 min/);
    expect(new Set(rows.map((r) => r.check))).toEqual(new Set(ALL_CHECKS.map((c) => c.name)));
    // Stopped means stopped.
    const n = rows.length;
    await new Promise((r) => setTimeout(r, 150));
    expect((await s.store.checkHistory({ from: 0, to: Date.now() + 1000 })).length).toBe(n);
  });
});
