/**
 * GET /v1/tickets/:cid/reply: the Markdown for the customer says what
 * happened and what to do, and nothing internal — no address, host name,
 * container id, stack trace, other org or user — and lists what it left out.
 */
import { parse } from 'parse5';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlatformLogs } from '../../diag/fixtures/platform-logs.js';
import { diagApp, type DiagApp } from '../diag/fixtures/diag-app.js';
import { elements, hasClass, textOf } from '../diag/fixtures/html.js';

const NOW = Date.UTC(2026, 10, 3, 14, 2, 9);
const MIN = 60_000;

interface Reply {
  markdown: string;
  left_out: string[];
}

describe('the reply to the customer', () => {
  let a: DiagApp;
  let logs: PlatformLogs;
  let platform = '';
  let caller = '';
  let state = '';
  let fnId = '';

  beforeAll(async () => {
    logs = new PlatformLogs();
    platform = logs.request({ time: NOW, method: 'GET', path: '/v1/woks/ledger', status: 500, code: 'CP_DB_QUERY_FAILED', message: 'connect ECONNREFUSED 10.4.0.2:5432', wok: 'ledger', org: 'acme' });
    const fn = logs.container('wok-ledger-functions', 'ledger', 'functions', NOW - 60 * MIN);
    fnId = fn;
    state = logs.request({
      time: NOW + 1000,
      method: 'POST',
      path: '/v1/woks/ledger/sql',
      status: 502,
      code: 'CP_EXEC_SQL_FAILED',
      message: 'docker exec into 172.18.0.5:5432 on db-7.tellwang.internal failed',
      wok: 'ledger',
      org: 'acme',
    });
    logs.fn(fn, NOW + 1001, 'error', { correlation_id: state, org: 'globex' }, 'globex tenant bob@globex.test hit the same pool');
    caller = logs.request({ time: NOW + MIN, method: 'GET', path: '/v1/woks/nosuch', status: 404, code: 'CP_WOK_NOT_FOUND', org: 'acme' });
    a = await diagApp({ woks: [{ id: 'ledger', org: 'acme', status: 'active' }], seed: async (store) => {
        await logs.ingestInto(store);
        await store.recordChecks([
          { check: 'cp_db', status: 'pass', time: NOW - 10 * MIN, output: null },
          { check: 'cp_db', status: 'fail', time: NOW - 3 * MIN, output: 'connect ECONNREFUSED 10.4.0.2:5432' },
          { check: 'cp_db', status: 'fail', time: NOW - 2 * MIN, output: 'connect ECONNREFUSED 10.4.0.2:5432' },
          { check: 'cp_db', status: 'fail', time: NOW - MIN, output: 'connect ECONNREFUSED 10.4.0.2:5432' },
          { check: 'cp_db', status: 'fail', time: NOW + 30_000, output: 'connect ECONNREFUSED 10.4.0.2:5432' },
        ]);
      },
    });
  });

  afterAll(async () => {
    await a.close();
    logs.remove();
  });

  it('says when, what, which status and code, and the correlation id, in UTC', async () => {
    const r = await a.get(`/v1/tickets/${state}/reply`, a.operator);
    expect(r.status).toBe(200);
    const { markdown } = r.json() as Reply;
    expect(markdown).toContain('`POST /v1/woks/ledger/sql`');
    expect(markdown).toContain('on 2026-11-03 14:02:10 UTC');
    expect(markdown).toContain('status 502');
    expect(markdown).toContain('`CP_EXEC_SQL_FAILED`');
    expect(markdown).toContain(`\`${state}\``);
    expect(markdown).toContain("**What to do:** The docker-exec call into the wok's db container failed (often because it's restarting). Retry.\n");
    expect(markdown).not.toContain('on our side');
  });

  it('for a platform-side code, says which subsystem is failing and since when', async () => {
    const { markdown, left_out } = (await a.get(`/v1/tickets/${platform}/reply`, a.operator)).json() as Reply;
    expect(markdown).toContain('on our side');
    expect(markdown).toContain('Our cp db subsystem has been failing since 2026-11-03 13:59:09 UTC');
    expect(markdown).toContain('**This one is on our side.** The cp\'s own Postgres returned an error. File a ticket with correlation_id.');
    expect(markdown).not.toContain('10.4.0.2');
    expect(markdown).not.toContain('ECONNREFUSED 10');
    expect(left_out.join('\n')).toMatch(/1 health check output/);
  });

  it('holds back every internal detail and says what it held back', async () => {
    const { markdown, left_out } = (await a.get(`/v1/tickets/${state}/reply`, a.operator)).json() as Reply;
    for (const internal of ['172.18.0.5', '10.0.0.7', 'db-7.tellwang.internal', 'cp-1', fnId, fnId.slice(0, 12), 'wok-ledger-functions', 'globex', 'bob@', '/diag', '    at ', 'Error:']) {
      expect(markdown).not.toContain(internal);
      expect(left_out.join('\n')).not.toContain(internal);
    }
    expect(markdown).toContain('[internal]');
    const kinds = left_out.join('\n');
    expect(kinds).toMatch(/stack trace/);
    expect(kinds).toMatch(/1 container line/);
    expect(kinds).toMatch(/internal addresses/);
    expect(kinds).toMatch(/remediation step/);
  });

  it("a caller-side code gets the catalogue's remediation as what to do", async () => {
    const { markdown } = (await a.get(`/v1/tickets/${caller}/reply`, a.operator)).json() as Reply;
    expect(markdown).toContain('**What to do:**');
    expect(markdown).not.toContain('on our side');
  });

  it('is for operators only, and 404 for an unknown id', async () => {
    expect((await a.get(`/v1/tickets/${platform}/reply`, a.keys.acme!.key)).status).toBe(403);
    expect((await a.get(`/v1/tickets/${'0'.repeat(16)}/reply`, a.operator)).status).toBe(404);
    expect((await a.get(`/v1/tickets/${platform}/reply?x=1`, a.operator)).status).toBe(400);
  });

  it('the ticket page shows the reply beside what it leaves out, with a copy button holding the same text', async () => {
    const { markdown, left_out } = (await a.get(`/v1/tickets/${platform}/reply`, a.operator)).json() as Reply;
    const doc = parse((await a.get(`/tickets/${platform}`, a.operator, 'text/html')).text);
    const pre = elements(doc, (e) => e.tagName === 'pre' && hasClass(e, 'reply-md'))[0]!;
    expect(textOf(pre)).toBe(markdown);
    const btn = elements(doc, (e) => e.tagName === 'button' && hasClass(e, 'copy-reply'))[0]!;
    expect(btn.attrs.find((x) => x.name === 'data-copy')!.value).toBe(markdown);
    const items = elements(doc, (e) => e.tagName === 'li' && e.parentNode !== null && elements(doc, (d) => hasClass(d, 'reply-left')).some((box) => elements(box, (x) => x === e).length > 0));
    expect(items.map(textOf)).toEqual(left_out);
  });
});
