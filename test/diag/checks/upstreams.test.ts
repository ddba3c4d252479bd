import { afterEach, describe, expect, it } from 'vitest';
import type { CheckDefinition } from '../../../src/diag/check.js';
import { dnsUpstreamCheck } from '../../../src/diag/checks/dns-upstream.js';
import { emailUpstreamCheck } from '../../../src/diag/checks/email-upstream.js';
import { llmUpstreamCheck } from '../../../src/diag/checks/llm-upstream.js';
import { diagConfig } from '../../../src/diag/diag-config.js';
import { checkDeps } from '../fixtures/diag-deps.js';
import { PlatformLogs, tempStore } from '../fixtures/platform-logs.js';
import { probeServer } from '../fixtures/probe-server.js';
import { reading, runCheck } from '../fixtures/run-check.js';

const NOW = Date.now();
const MIN = 60_000;

const CASES: [CheckDefinition, string, string, 'llm' | 'email' | 'dns'][] = [
  [llmUpstreamCheck, 'CP_LLM_UPSTREAM_FAILED', '/v1/llm/chat/completions', 'llm'],
  [emailUpstreamCheck, 'CP_EMAIL_UPSTREAM_FAILED', '/v1/woks/inbox/email/send', 'email'],
  [dnsUpstreamCheck, 'CP_DOMAIN_UPSTREAM_FAILED', '/v1/orgs/acme/domains', 'dns'],
];

describe.each(CASES)('%s', (check, code, path, probe) => {
  const cleanup: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const f of cleanup.splice(0).reverse()) await f();
  });

  async function withFailures(n: number, ageMin = 3) {
    const s = tempStore();
    cleanup.push(() => s.close());
    const logs = new PlatformLogs();
    cleanup.push(() => logs.remove());
    logs.request({ time: NOW - 2 * MIN, method: 'POST', path, status: 200 });
    // Another upstream's failures are not this check's.
    const other = code === 'CP_LLM_UPSTREAM_FAILED' ? 'CP_EMAIL_UPSTREAM_FAILED' : 'CP_LLM_UPSTREAM_FAILED';
    logs.request({ time: NOW - 2 * MIN, method: 'POST', path: '/v1/other', status: 502, code: other });
    for (let i = 0; i < n; i++) logs.request({ time: NOW - ageMin * MIN + i * 500, method: 'POST', path, status: 502, code, message: `upstream answered 503` });
    await logs.ingestInto(s.store);
    return s.store;
  }

  it(`no ${code} in the window: pass; one: warn; five: fail; older ones: pass`, async () => {
    expect((await runCheck(check, checkDeps(await withFailures(0), { now: NOW }))).status).toBe('pass');
    const one = await runCheck(check, checkDeps(await withFailures(1), { now: NOW }));
    expect(reading(one, 'failures')).toMatchObject({ status: 'warn', observedValue: 1, componentType: 'system' });
    expect(reading(one, 'failures').output).toContain(code);
    const five = await runCheck(check, checkDeps(await withFailures(5), { now: NOW }));
    expect(five.status).toBe('fail');
    expect(reading(five, 'failures').observedValue).toBe(5);
    const old = await runCheck(check, checkDeps(await withFailures(9, 40), { now: NOW }));
    expect(old.status).toBe('pass');
  });

  it('with a probe URL: pass when the upstream answers below 500, fail on 5xx, fail "timed out after N ms" when it hangs', async () => {
    const store = await withFailures(0);
    const up = await probeServer(401);
    cleanup.push(() => up.close());
    const config = (url: string) => diagConfig({ timeoutMs: 400, probes: { ...diagConfig().probes, [probe]: { url } } });

    const ok = await runCheck(check, { ...checkDeps(store, { now: NOW }), config: config(up.url + '?token=not-shown') });
    expect(ok.status).toBe('pass');
    const rt = reading(ok, 'responseTime');
    expect(rt).toMatchObject({ status: 'pass', observedUnit: 'ms', componentId: up.url });
    expect(up.hits()).toBe(1);

    up.setStatus(503);
    const bad = await runCheck(check, { ...checkDeps(store, { now: NOW }), config: config(up.url) });
    expect(bad.status).toBe('fail');
    expect(reading(bad, 'responseTime').output).toBe(`${up.url} answered HTTP 503`);

    up.setStatus('hang');
    const t0 = Date.now();
    const hung = await runCheck(check, { ...checkDeps(store, { now: NOW }), config: config(up.url) });
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(hung.status).toBe('fail');
    expect(hung.measurements.find((m) => m.status === 'fail')?.output).toMatch(/timed out after 400 ms$/);
  });
});
