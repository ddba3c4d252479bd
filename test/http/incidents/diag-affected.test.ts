/** /diag lists, under a failing check, the orgs its codes hit since the failure began: for operators only. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlatformLogs } from '../../diag/fixtures/platform-logs.js';
import { diagApp, type DiagApp } from '../diag/fixtures/diag-app.js';

const MIN = 60_000;

let a: DiagApp;
let logs: PlatformLogs;
const now = Date.now();

beforeAll(async () => {
  logs = new PlatformLogs();
  a = await diagApp({
    orgs: ['acme', 'globex', 'initech'],
    seed: async (store) => {
      const llm = (minutesAgo: number, org: string) =>
        logs.request({ time: now - minutesAgo * MIN, path: '/v1/llm/chat', method: 'POST', status: 502, code: 'CP_LLM_UPSTREAM_FAILED', org });
      for (const m of [2, 3, 4, 5]) llm(m, 'acme');
      for (const m of [6, 7]) llm(m, 'globex');
      // Before the check's 15-minute window but within the failing run that began 40 minutes ago: acme's first.
      llm(38, 'acme');
      // Long before the run: nobody's now.
      llm(180, 'initech');
      await logs.ingestInto(store);
      await store.recordChecks([40, 30, 20, 10, 1].map((m) => ({ check: 'llm_upstream', status: 'fail' as const, time: now - m * MIN, output: 'upstream failing' })));
    },
  });
});

afterAll(async () => {
  await a?.close();
  logs?.remove();
});

function affectedRows(html: string): string[][] {
  const block = /<tr class="affected-row" data-check="llm_upstream">([\s\S]*?)<\/table>/.exec(html)?.[1] ?? '';
  return [...block.matchAll(/<tr><td><a href="([^"]+)">([^<]+)<\/a><\/td><td>(\d+)<\/td><td>([^<]+)/g)].map((m) => [m[2]!, m[3]!, m[4]!.trim(), m[1]!]);
}

describe('/diag: who is affected', () => {
  it('lists per org the failed requests and the first one since the run began, most first, each linking to its search', async () => {
    const r = await a.get('/diag', a.operator, 'text/html');
    expect(r.status).toBe(200);
    expect(r.text).toMatch(/id="check-llm_upstream"/);
    const rows = affectedRows(r.text);
    const at = (m: number) => new Date(now - m * MIN).toISOString().slice(0, 19).replace('T', ' ');
    expect(rows.map((x) => x.slice(0, 3))).toEqual([
      ['acme', '5', at(38)],
      ['globex', '2', at(7)],
    ]);
    expect(rows[0]![3]).toMatch(/^\/search\?code=CP_LLM_UPSTREAM_FAILED&amp;org=acme&amp;from=\d{4}-[^&]+&amp;to=/);
    expect(r.text).toMatch(/<b>Who is affected<\/b> since [^:]+:\d\d UTC \(55 min ago\): <a href="\/search\?code=CP_LLM_UPSTREAM_FAILED&amp;from=/);
  });

  it('is not shown to a customer or to a signed-out visitor', async () => {
    for (const auth of [null, a.keys.acme!.key]) {
      const r = await a.get('/diag', auth, 'text/html');
      expect(r.status).toBe(200);
      expect(r.text).toMatch(/id="check-llm_upstream"/);
      expect(r.text).not.toContain('Who is affected');
      expect(r.text).not.toContain('globex');
    }
  });
});
