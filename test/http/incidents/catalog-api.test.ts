/** GET /v1/catalog and /catalog over real logs: every catalogued code with its counts, and the codes the catalogue lacks. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalog } from '../../../src/catalog/catalog.js';
import { PlatformLogs } from '../../diag/fixtures/platform-logs.js';
import { diagApp, type DiagApp } from '../diag/fixtures/diag-app.js';

const HOUR = 3_600_000;

interface Row {
  code: string;
  seen_24h: number;
  seen_7d: number;
  last_seen: string | null;
  sample: string | null;
  search: string;
}
interface CatalogBody {
  at: string;
  codes: (Row & { http: number; fix_side: string; group: string; remediation: string })[];
  uncatalogued: (Row & { hint: string | null })[];
}

let a: DiagApp;
let logs: PlatformLogs;
const now = Date.now();
let runtimeSample = '';

beforeAll(async () => {
  logs = new PlatformLogs();
  a = await diagApp({
    seed: async (store) => {
      logs.request({ time: now - 2 * HOUR, path: '/v1/woks/ledger/sql', method: 'POST', status: 502, code: 'CP_EXEC_SQL_FAILED', org: 'acme', wok: 'ledger' });
      logs.request({ time: now - 3 * 24 * HOUR, path: '/v1/woks/ledger/sql', method: 'POST', status: 502, code: 'CP_EXEC_SQL_FAILED', org: 'acme', wok: 'ledger' });
      logs.request({ time: now - 8 * 24 * HOUR, path: '/v1/woks/ledger/sql', method: 'POST', status: 502, code: 'CP_EXEC_SQL_FAILED', org: 'acme', wok: 'ledger' });
      logs.request({ time: now - 5 * HOUR, path: '/v1/woks/inbox/fn/x', method: 'POST', status: 503, code: 'CP_FUNCTION_RUNTIME_UNAVAILABLE', message: 'the functions runtime is restarting; retry in a few seconds', org: 'globex', wok: 'inbox' });
      runtimeSample = logs.request({ time: now - 4 * HOUR, path: '/v1/woks/inbox/fn/x', method: 'POST', status: 503, code: 'CP_FUNCTION_RUNTIME_UNAVAILABLE', message: 'the functions runtime is restarting; retry in a few seconds', org: 'globex', wok: 'inbox' });
      await logs.ingestInto(store);
    },
  });
});

afterAll(async () => {
  await a?.close();
  logs?.remove();
});

describe('GET /v1/catalog', () => {
  it('lists every catalogued code, in the seed order, with HTTP status, fix side, group, remediation and counts over 24 h and 7 d', async () => {
    const r = await a.get('/v1/catalog', a.operator);
    expect(r.status).toBe(200);
    const body = r.json() as CatalogBody;
    expect(body.codes.map((c) => c.code)).toEqual(catalog.entries().map((e) => e.code));
    const exec = body.codes.find((c) => c.code === 'CP_EXEC_SQL_FAILED')!;
    const e = catalog.get('CP_EXEC_SQL_FAILED')!;
    expect(exec).toMatchObject({ http: e.http, fix_side: e.fixSide, group: e.group, remediation: e.remediation, seen_24h: 1, seen_7d: 2 });
    expect(Date.parse(exec.last_seen!)).toBe(now - 2 * HOUR);
    expect(exec.search).toMatch(/^\/search\?code=CP_EXEC_SQL_FAILED&from=\d{4}-/);
    const unseen = body.codes.find((c) => c.code === 'CP_UNAUTHENTICATED')!;
    expect(unseen).toMatchObject({ seen_24h: 0, seen_7d: 0, last_seen: null, sample: null });
  });

  it('lists apart the codes seen that the catalogue lacks, with counts, a sample ticket and the cp\'s own words', async () => {
    const body = (await a.get('/v1/catalog', a.operator)).json() as CatalogBody;
    expect(body.uncatalogued).toEqual([
      {
        code: 'CP_FUNCTION_RUNTIME_UNAVAILABLE',
        seen_24h: 2,
        seen_7d: 2,
        last_seen: new Date(now - 4 * HOUR).toISOString(),
        sample: runtimeSample,
        hint: 'the functions runtime is restarting; retry in a few seconds',
        search: expect.stringMatching(/^\/search\?code=CP_FUNCTION_RUNTIME_UNAVAILABLE&from=/),
      },
    ]);
  });

  it('takes no query parameter', async () => {
    const r = await a.get('/v1/catalog?window=7d', a.operator);
    expect([r.status, (r.json() as { error: { code: string } }).error.code]).toEqual([400, 'DIAG_INVALID_QUERY']);
  });

  it('renders the page: the missing codes first, then each group, every code linking to its search', async () => {
    const r = await a.get('/catalog', a.operator, 'text/html');
    expect(r.status).toBe(200);
    for (const e of catalog.entries()) expect(r.text).toContain(`href="/search?code=${e.code}&amp;from=`);
    expect(r.text.indexOf('CP_FUNCTION_RUNTIME_UNAVAILABLE')).toBeLessThan(r.text.indexOf(catalog.entries()[0]!.code));
    expect(r.text).toContain(`/tickets/${runtimeSample}`);
  });
});
