/** GET /diag, the on-call page, over real HTTP and parsed as a browser would. */
import { parse } from 'parse5';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../../../src/diag/checks/all-checks.js';
import { PlatformLogs } from '../../diag/fixtures/platform-logs.js';
import { diagApp, type DiagApp } from './fixtures/diag-app.js';
import { elements, hasClass, textOf } from './fixtures/html.js';

const NOW = Date.now();
const MIN = 60_000;
const HOSTILE = 'fn-<script>alert(1)</script>';

describe('GET /diag', () => {
  let a: DiagApp;
  let logs: PlatformLogs;

  beforeAll(async () => {
    logs = new PlatformLogs();
    for (let i = 0; i < 6; i++) logs.request({ time: NOW - 2 * MIN + i, method: 'POST', path: '/v1/llm/chat/completions', status: 502, code: 'CP_LLM_UPSTREAM_FAILED' });
    const fn = logs.container(HOSTILE, 'shopfront', 'functions', NOW - 60 * MIN);
    logs.fn(fn, NOW - 3 * MIN, 'fatal', {}, 'uncaught exception while loading functions');
    a = await diagApp({
      seed: async (store) => {
        await logs.ingestInto(store);
        const rec = (ago: number, status: 'pass' | 'fail', output: string | null) => ({ check: 'cp_db', status, time: NOW - ago, output });
        await store.recordChecks([rec(30 * MIN, 'pass', null), rec(20 * MIN, 'pass', null), rec(3 * MIN, 'fail', 'connection refused')]);
      },
    });
  });

  afterAll(async () => {
    await a.close();
    logs.remove();
  });

  async function page(query: string, auth: string | null) {
    const r = await a.get(`/diag${query}`, auth, 'text/html');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/html/);
    return { text: r.text, doc: parse(r.text) };
  }

  it('anyone: every subsystem with its status and history strip, failing first and "not configured" last, no readings or reasons', async () => {
    const { text, doc } = await page('', null);
    const rows = elements(doc, (e) => e.tagName === 'tr' && e.attrs.some((x) => x.name === 'id' && x.value.startsWith('check-')));
    const ids = rows.map((r) => r.attrs.find((x) => x.name === 'id')!.value);
    expect([...ids].sort()).toEqual(ALL_CHECKS.map((c) => `check-${c.name}`).sort());
    // Definition order within a standing; the failing ones above the fold.
    expect(ids.slice(0, 2)).toEqual(['check-functions', 'check-llm_upstream']);
    expect(ids.slice(-2)).toEqual(['check-cp_db', 'check-reconciler']);
    const standings = rows.map((r) => r.attrs.find((x) => x.name === 'data-standing')!.value);
    expect(standings.slice(0, 2)).toEqual(['fail', 'fail']);
    expect(standings.slice(-2)).toEqual(['not configured', 'not configured']);
    const summary = elements(doc, (e) => hasClass(e, 'diag-summary'));
    expect(textOf(summary[0]!).replace(/\s+/g, ' ')).toMatch(/^2 failing: functions, llm_upstream · (\d+ passing · )?\d+ (warning|warnings|not configured)/);
    const status = Object.fromEntries(rows.map((r) => [r.attrs.find((x) => x.name === 'id')!.value.slice(6), r.attrs.find((x) => x.name === 'class')!.value.slice(4)]));
    expect(status).toMatchObject({ cp_db: 'warn', llm_upstream: 'fail', functions: 'fail', email_upstream: 'pass' });
    expect(elements(doc, (e) => hasClass(e, 'readings-table'))).toEqual([]);
    expect(text).not.toContain('connection refused');
    expect(text).not.toContain('not configured: set');
    expect(elements(doc, (e) => e.tagName === 'rect').length).toBeGreaterThanOrEqual(ALL_CHECKS.length);
  });

  it('operators: every reading with its value, reason and links', async () => {
    const { doc } = await page('', a.operator);
    const readings = elements(doc, (e) => e.tagName === 'tr' && e.attrs.some((x) => x.name === 'class' && x.value.startsWith('rd-')));
    const byKey = new Map(readings.map((r) => [textOf(elements(r, (e) => e.tagName === 'code')[0]!), textOf(r)]));
    expect(byKey.get('llm_upstream:failures')).toMatch(/6 requests\s*in the last 15 min\s*fail\s*6 requests failed with CP_LLM_UPSTREAM_FAILED/);
    expect(byKey.get('cp_db:responseTime')).toMatch(/not configured: set DIAG_CP_DATABASE_URL/);
    const links = elements(doc, (e) => e.tagName === 'a' && e.attrs.some((x) => x.name === 'href' && x.value.startsWith('/tickets/')));
    expect(links.length).toBeGreaterThan(0);
  });

  it('log-derived text (a container named with markup) is escaped: no script runs but ours', async () => {
    const { text, doc } = await page('', a.operator);
    expect(text).toContain('fn-&lt;script&gt;alert(1)&lt;/script&gt;');
    const scripts = elements(doc, (e) => e.tagName === 'script');
    expect(scripts.map((s) => s.attrs.find((x) => x.name === 'src')?.value)).toEqual(['/static/app.js', '/static/diag.js']);
    expect(scripts.every((s) => textOf(s) === '')).toBe(true);
  });

  it('?since: marks what changed since the last look; the refresh carries the time forward', async () => {
    const since = NOW - 5 * MIN;
    const { doc } = await page(`?since=${since}`, a.operator);
    const fresh = elements(doc, (e) => e.tagName === 'li' && hasClass(e, 'new')).map(textOf);
    // Stored: pass → fail three minutes ago; live: the check now reads warn (no cp database configured).
    expect(fresh[0]).toMatch(/cp_db\s+fail\s+→\s+warn/);
    expect(fresh.some((t) => /cp_db\s+pass\s+→\s+fail\s+connection refused/.test(t))).toBe(true);
    const head = elements(doc, (e) => e.attrs.some((x) => x.name === 'data-diag-refresh'))[0]!;
    expect(head.attrs.find((x) => x.name === 'data-diag-since')!.value).toBe(String(since));
    const now = Number(head.attrs.find((x) => x.name === 'data-diag-now')!.value);
    expect(now).toBeGreaterThanOrEqual(NOW);
    expect(textOf(elements(doc, (e) => e.tagName === 'noscript')[0]!)).toContain(`url=/diag?since=${now}`);

    const first = await page('', a.operator);
    expect(elements(first.doc, (e) => e.tagName === 'li' && hasClass(e, 'new'))).toEqual([]);
    expect(first.text).toContain('Keep this page open');
  });

  it('a malformed since is a 400 in our envelope', async () => {
    const r = await a.get('/diag?since=yesterday-ish', a.operator, 'application/json');
    expect(r.status).toBe(400);
    expect((r.json() as { error: { code: string } }).error.code).toBe('DIAG_INVALID_QUERY');
  });
});
