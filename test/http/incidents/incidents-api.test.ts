/** GET /v1/incidents over real logs ingested into a real store: shape, order, window, refusals, and operators only. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlatformLogs } from '../../diag/fixtures/platform-logs.js';
import { diagApp, type DiagApp } from '../diag/fixtures/diag-app.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

interface Code {
  code: string;
  count: number;
  orgs: number;
  woks: number;
  first_seen: string;
  last_seen: string;
  fix_side: string | null;
  remediation: string | null;
  sample: string;
  incident: boolean;
  buckets: number[];
  search: string;
}
interface Incidents {
  window: string;
  from: string;
  to: string;
  codes: Code[];
  failing_checks: { check: string; status: string; from: string; to: string | null }[];
}

let a: DiagApp;
let logs: PlatformLogs;
const now = Date.now();
let llmSample = '';

beforeAll(async () => {
  logs = new PlatformLogs();
  a = await diagApp({
    orgs: ['acme', 'globex', 'initech'],
    seed: async (store) => {
      // An LLM outage over three orgs in the last ten minutes: fewer requests than acme's typos, but an incident.
      logs.request({ time: now - 9 * MIN, path: '/v1/llm/chat', method: 'POST', status: 502, code: 'CP_LLM_UPSTREAM_FAILED', org: 'acme', wok: 'ledger' });
      logs.request({ time: now - 6 * MIN, path: '/v1/llm/chat', method: 'POST', status: 502, code: 'CP_LLM_UPSTREAM_FAILED', org: 'globex', wok: 'inbox' });
      llmSample = logs.request({ time: now - 3 * MIN, path: '/v1/llm/chat', method: 'POST', status: 502, code: 'CP_LLM_UPSTREAM_FAILED', org: 'initech' });
      for (let i = 0; i < 5; i++) logs.request({ time: now - (2 + i) * HOUR, path: '/v1/woks/nope', status: 404, code: 'CP_PROJECT_NOT_FOUND', org: 'acme' });
      // Only in the last 7 days.
      logs.request({ time: now - 3 * 24 * HOUR, path: '/v1/woks/ledger/sql', method: 'POST', status: 502, code: 'CP_EXEC_SQL_FAILED', org: 'acme', wok: 'ledger' });
      logs.request({ time: now - 30 * MIN, path: '/v1/woks/ledger', status: 200, org: 'acme', wok: 'ledger' });
      await logs.ingestInto(store);
      await store.recordChecks([
        { check: 'llm_upstream', status: 'pass', time: now - 12 * MIN, output: null },
        { check: 'llm_upstream', status: 'fail', time: now - 10 * MIN, output: 'upstream answered 503' },
        { check: 'llm_upstream', status: 'fail', time: now - 9 * MIN, output: 'upstream answered 503' },
        { check: 'cp_db', status: 'pass', time: now - 9 * MIN, output: null },
      ]);
    },
  });
});

afterAll(async () => {
  await a?.close();
  logs?.remove();
});

describe('GET /v1/incidents', () => {
  it('answers the last 24 h by default: codes with counts, orgs, woks, times, buckets, fix side, remediation and a sample; incidents first', async () => {
    const r = await a.get('/v1/incidents', a.operator);
    expect(r.status).toBe(200);
    const body = r.json() as Incidents;
    expect(body.window).toBe('24h');
    expect(body.from).toMatch(RFC3339);
    expect(Date.parse(body.to) - Date.parse(body.from)).toBe(24 * HOUR);
    expect(body.codes.map((c) => [c.code, c.count, c.orgs, c.incident])).toEqual([
      ['CP_LLM_UPSTREAM_FAILED', 3, 3, true],
      ['CP_PROJECT_NOT_FOUND', 5, 1, false],
    ]);
    const llm = body.codes[0]!;
    expect(llm).toMatchObject({ woks: 2, fix_side: 'platform / BYOK', sample: llmSample });
    expect(llm.remediation).toMatch(/LLM|upstream|provider/i);
    expect(llm.first_seen).toMatch(RFC3339);
    expect(Date.parse(llm.last_seen) - Date.parse(llm.first_seen)).toBe(6 * MIN);
    expect(llm.buckets).toHaveLength(24);
    // The outage is in the last hour of the day: the last bucket holds all of it.
    expect(llm.buckets.slice(-1)).toEqual([3]);
    expect(llm.buckets.reduce((x, y) => x + y, 0)).toBe(3);
    expect(llm.search).toBe(`/search?code=CP_LLM_UPSTREAM_FAILED&from=${encodeURIComponent(body.from)}`);
    expect(body.codes[1]!.buckets.reduce((x, y) => x + y, 0)).toBe(5);
    expect(body.failing_checks).toEqual([{ check: 'llm_upstream', status: 'fail', from: new Date(now - 10 * MIN).toISOString(), to: null, output: 'upstream answered 503' }]);
  });

  it('takes window=1h and 7d', async () => {
    const hour = (await a.get('/v1/incidents?window=1h', a.operator)).json() as Incidents;
    expect(hour.window).toBe('1h');
    expect(Date.parse(hour.to) - Date.parse(hour.from)).toBe(HOUR);
    expect(hour.codes.map((c) => c.code)).toEqual(['CP_LLM_UPSTREAM_FAILED']);
    const week = (await a.get('/v1/incidents?window=7d', a.operator)).json() as Incidents;
    expect(week.codes.map((c) => [c.code, c.count])).toEqual([
      ['CP_LLM_UPSTREAM_FAILED', 3],
      ['CP_PROJECT_NOT_FOUND', 5],
      ['CP_EXEC_SQL_FAILED', 1],
    ]);
  });

  it('takes to=TIME, the end of a window looked at afterwards', async () => {
    const to = new Date(now - 2.5 * HOUR).toISOString();
    const past = (await a.get(`/v1/incidents?window=1h&to=${encodeURIComponent(to)}`, a.operator)).json() as Incidents;
    expect([past.from, past.to]).toEqual([new Date(now - 3.5 * HOUR).toISOString(), to]);
    expect(past.codes.map((c) => [c.code, c.count, c.last_seen])).toEqual([['CP_PROJECT_NOT_FOUND', 1, new Date(now - 3 * HOUR).toISOString()]]);
    const bad = await a.get('/v1/incidents?to=yesterday', a.operator);
    expect([bad.status, (bad.json() as { error: { code: string } }).error.code]).toEqual([400, 'DIAG_INVALID_QUERY']);
  });

  it('refuses a bad window, an unknown parameter and a repeated one with 400 DIAG_INVALID_QUERY', async () => {
    for (const q of ['window=2h', 'window=', 'since=1h', 'window=1h&window=7d']) {
      const r = await a.get(`/v1/incidents?${q}`, a.operator);
      const body = r.json() as { error: { code: string; message: string; correlation_id: string } };
      if (q === 'window=') {
        expect(r.status).toBe(200);
        continue;
      }
      expect([q, r.status, body.error.code]).toEqual([q, 400, 'DIAG_INVALID_QUERY']);
      expect(body.error.correlation_id).toMatch(/^[0-9a-f]{16}$/);
    }
    expect(((await a.get('/v1/incidents?window=2h', a.operator)).json() as { error: { message: string } }).error.message).toMatch(/1h, 24h or 7d/);
  });

  it('is for operators only: 401 without a credential, 403 with a customer key, on the page as well', async () => {
    for (const p of ['/v1/incidents', '/v1/catalog']) {
      const anon = await a.get(p);
      expect([p, anon.status, (anon.json() as { error: { code: string } }).error.code]).toEqual([p, 401, 'DIAG_UNAUTHENTICATED']);
      const customer = await a.get(p, a.keys.acme!.key);
      expect([p, customer.status]).toEqual([p, 403]);
    }
    for (const p of ['/incidents', '/catalog']) expect((await a.get(p, a.keys.acme!.key, 'text/html')).status).toBe(403);
  });

  it('renders the page with a sparkline per code and the failing check', async () => {
    const r = await a.get('/incidents?window=24h', a.operator, 'text/html');
    expect(r.status).toBe(200);
    expect(r.text).toContain('<svg class="spark"');
    expect(r.text).toContain(`/tickets/${llmSample}`);
    expect(r.text).toMatch(/llm_upstream<\/code><\/a> <span class="hs hs-fail">fail/);
    expect(r.text.indexOf('CP_LLM_UPSTREAM_FAILED')).toBeLessThan(r.text.indexOf('CP_PROJECT_NOT_FOUND'));
  });
});
