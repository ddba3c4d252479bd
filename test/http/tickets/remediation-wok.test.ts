/**
 * A catalogued remediation that names the wok as `{id}` is shown with the
 * request's wok filled in and linked to its page, on the ticket page and the
 * wok page; the JSON keeps the catalogue's words and adds the filled-in text.
 */
import { parse } from 'parse5';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlatformLogs } from '../../diag/fixtures/platform-logs.js';
import { diagApp, type DiagApp } from '../diag/fixtures/diag-app.js';
import { elements, hasClass, textOf, type Element } from '../diag/fixtures/html.js';

const NOW = Date.now();
const MIN = 60_000;

const href = (e: Element) => e.attrs.find((a) => a.name === 'href')?.value;

describe("the remediation's {id}", () => {
  let a: DiagApp;
  let logs: PlatformLogs;
  let onWok = '';
  let noWok = '';

  beforeAll(async () => {
    logs = new PlatformLogs();
    onWok = logs.request({ time: NOW - 20 * MIN, method: 'POST', path: '/v1/woks/ledger/sql', status: 502, code: 'CP_EXEC_SQL_FAILED', wok: 'ledger', org: 'acme' });
    // A code whose text names the wok, on a request that names none.
    noWok = logs.request({ time: NOW - 10 * MIN, method: 'POST', path: '/v1/functions/run', status: 404, code: 'CP_FUNCTION_NOT_FOUND', org: 'acme' });
    a = await diagApp({ woks: [{ id: 'ledger', org: 'acme', status: 'active' }], seed: (store) => logs.ingestInto(store) });
  });

  afterAll(async () => {
    await a.close();
    logs.remove();
  });

  it('is filled in with the wok and linked to /diag/wok/<id> on the ticket page', async () => {
    const r = await a.get(`/tickets/${onWok}`, a.operator, 'text/html');
    expect(r.status).toBe(200);
    const box = elements(parse(r.text), (e) => e.tagName === 'p' && hasClass(e, 'remedy-text'))[0]!;
    expect(textOf(box)).toContain('if persistent, hit /diag/wok/ledger.');
    expect(textOf(box)).not.toContain('{id}');
    const links = elements(box, (e) => e.tagName === 'a');
    expect(links.map((l) => [textOf(l), href(l)])).toEqual([['/diag/wok/ledger', '/diag/wok/ledger']]);
  });

  it("GET /v1/tickets/:cid keeps the catalogue's text and adds filled_text", async () => {
    const t = (await a.get(`/v1/tickets/${onWok}`, a.operator)).json() as { remediation: { text: string; filled_text: string | null } };
    expect(t.remediation.text).toContain('hit /diag/wok/{id}.');
    expect(t.remediation.filled_text).toBe(t.remediation.text.replace('{id}', 'ledger'));
    const none = (await a.get(`/v1/tickets/${noWok}`, a.operator)).json() as { request: { wok: string | null }; remediation: { text: string; filled_text: string | null } };
    expect(none.request.wok).toBeNull();
    expect(none.remediation.text).toContain('GET /v1/woks/{id}/functions');
    expect(none.remediation.filled_text).toBeNull();
  });

  it("a customer's own ticket has the filled-in text too", async () => {
    const t = (await a.get(`/v1/tickets/${onWok}`, a.keys.acme!.key)).json() as { remediation: { text: string; filled_text: string | null } };
    expect(t.remediation.filled_text).toBe(t.remediation.text.replace('{id}', 'ledger'));
  });

  it("without a wok, the page shows the catalogue's words and no link", async () => {
    const r = await a.get(`/tickets/${noWok}`, a.operator, 'text/html');
    const box = elements(parse(r.text), (e) => e.tagName === 'p' && hasClass(e, 'remedy-text'))[0]!;
    expect(textOf(box)).toContain('GET /v1/woks/{id}/functions');
    expect(elements(box, (e) => e.tagName === 'a')).toEqual([]);
  });

  it("the wok page's recent errors link the filled-in id too", async () => {
    const r = await a.get('/diag/wok/ledger', a.operator, 'text/html');
    expect(r.status).toBe(200);
    const table = elements(parse(r.text), (e) => e.tagName === 'table' && hasClass(e, 'wok-errors'))[0]!;
    expect(textOf(table)).toContain('hit /diag/wok/ledger.');
    expect(elements(table, (e) => e.tagName === 'a' && href(e) === '/diag/wok/ledger').length).toBe(1);
  });
});
