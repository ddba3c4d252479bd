import { afterEach, describe, expect, it } from 'vitest';
import { ingestCheck } from '../../src/diag/checks/ingest.js';
import { llmUpstreamCheck } from '../../src/diag/checks/llm-upstream.js';
import { diagConfig, type DiagConfig } from '../../src/diag/diag-config.js';
import { DiagRunner } from '../../src/diag/runner.js';
import { checkDeps } from './fixtures/diag-deps.js';
import { tempStore } from './fixtures/platform-logs.js';
import { probeServer, type ProbeServer } from './fixtures/probe-server.js';

describe('the runner: timeouts, cache, single-flight, deadline', () => {
  const cleanup: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const f of cleanup.splice(0).reverse()) await f();
  });

  async function setup(over: Partial<DiagConfig>, status: number | 'hang' = 200): Promise<{ runner: DiagRunner; up: ProbeServer; now: { t: number } }> {
    const s = tempStore();
    cleanup.push(() => s.close());
    const up = await probeServer(status);
    cleanup.push(() => up.close());
    const now = { t: Date.now() };
    const deps = { ...checkDeps(s.store, { now: now.t }), clock: { now: () => now.t }, config: diagConfig({ ...over, probes: { llm: { url: up.url }, email: null, dns: null } }) };
    return { runner: new DiagRunner([llmUpstreamCheck, ingestCheck], deps), up, now };
  }

  it('100 concurrent callers share one run: the upstream is probed once', async () => {
    const { runner, up } = await setup({ cacheMs: 5000 });
    up.setDelay(150);
    const all = await Promise.all(Array.from({ length: 100 }, () => runner.run(['llm_upstream'])));
    expect(up.hits()).toBe(1);
    expect(new Set(all.map((r) => r[0])).size).toBe(1);
    expect(all[0]![0]!.status).toBe('pass');
  });

  it('a result is reused while fresh, re-read after cacheMs, and `fresh` re-reads at once', async () => {
    const { runner, up, now } = await setup({ cacheMs: 5000 });
    await runner.run(['llm_upstream']);
    await runner.run(['llm_upstream']);
    expect(up.hits()).toBe(1);
    now.t += 5001;
    await runner.run(['llm_upstream']);
    expect(up.hits()).toBe(2);
    await runner.run(['llm_upstream'], { fresh: true });
    expect(up.hits()).toBe(3);
  });

  it('a hung upstream is fail "timed out after N ms" and concurrent callers all get it at the timeout', async () => {
    const { runner, up } = await setup({ timeoutMs: 300, cacheMs: 5000 }, 'hang');
    const t0 = Date.now();
    const all = await Promise.all(Array.from({ length: 100 }, () => runner.run()));
    const took = Date.now() - t0;
    expect(took).toBeLessThan(1500);
    expect(up.hits()).toBe(1);
    const [llm, ingest] = all[0]!;
    expect(llm!.status).toBe('fail');
    expect(llm!.measurements.find((m) => m.status === 'fail')!.output).toMatch(/timed out after 300 ms$/);
    // The other check is not held back by the hung one.
    expect(ingest!.check).toBe('ingest');
    expect(ingest!.durationMs).toBeLessThan(300);
  });

  it('the whole answer has a deadline; the late check still fills the cache for the next caller', async () => {
    const { runner, up } = await setup({ timeoutMs: 1000, deadlineMs: 100, cacheMs: 60_000 });
    up.setDelay(300);
    const [first] = await runner.run(['llm_upstream']);
    expect(first!.status).toBe('fail');
    expect(first!.measurements[0]!.output).toBe('no result within the response deadline of 100 ms');
    await new Promise((r) => setTimeout(r, 400));
    const [later] = await runner.run(['llm_upstream']);
    expect(later!.status).toBe('pass');
    expect(up.hits()).toBe(1);
  });

  it('a check that throws is fail with its message, never a crash', async () => {
    const s = tempStore();
    const runner = new DiagRunner([ingestCheck], checkDeps(s.store, { now: Date.now() }));
    await s.close();
    const [o] = await runner.run();
    expect(o!.status).toBe('fail');
    expect(o!.measurements[0]!.output).toMatch(/^check failed: .*(not open|closed)/i);
  });
});
