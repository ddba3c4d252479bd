/**
 * Every route with query parameters refuses one it does not take (400
 * DIAG_INVALID_QUERY naming it) instead of ignoring it and answering
 * everything; org and wok filters must name an org or wok the inventory or
 * the logs know; pages answer the same refusal as a readable page.
 */
import { parse } from 'parse5';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlatformLogs } from '../../diag/fixtures/platform-logs.js';
import { diagApp, type DiagApp } from '../diag/fixtures/diag-app.js';
import { elements, textOf } from '../diag/fixtures/html.js';

const NOW = Date.now();
const MIN = 60_000;

type Envelope = { error: { code: string; message: string; hint: string; correlation_id: string } };

describe('query parameters', () => {
  let a: DiagApp;
  let logs: PlatformLogs;
  let cid = '';

  beforeAll(async () => {
    logs = new PlatformLogs();
    cid = logs.request({ time: NOW - 20 * MIN, method: 'POST', path: '/v1/woks/ledger/sql', status: 502, code: 'CP_EXEC_SQL_FAILED', wok: 'ledger', org: 'acme' });
    logs.request({ time: NOW - 10 * MIN, method: 'GET', path: '/v1/woks/inbox', status: 200, wok: 'inbox', org: 'globex' });
    logs.audit({ time: NOW - 30 * MIN, actor: 'maria@acme.test', org: 'acme', action: 'wok.env.set', outcome: 'success', wokId: 'ledger' });
    a = await diagApp({
      woks: [
        { id: 'ledger', org: 'acme', status: 'active' },
        { id: 'shopfront', org: 'acme', status: 'active' },
      ],
      seed: (store) => logs.ingestInto(store),
    });
  });

  afterAll(async () => {
    await a.close();
    logs.remove();
  });

  it('/v1/search answers 400 naming an unknown parameter and what the route takes, instead of everything', async () => {
    const r = await a.get('/v1/search?wokk=ledger', a.operator);
    expect(r.status).toBe(400);
    const e = (r.json() as Envelope).error;
    expect(e.code).toBe('DIAG_INVALID_QUERY');
    expect(e.message).toBe('unknown query parameter "wokk"; it takes from, to, code, org, wok, status, failed, fix_side, source, method, user, path, q, limit, cursor');
  });

  it.each([
    ['/v1/unparsed?lmit=5', 'lmit'],
    ['/v1/stats?verbose=1', 'verbose'],
    [`/v1/tickets/${'0'.repeat(16)}?includes=raw`, 'includes'],
    ['/v1/diag?verbos', 'verbos'],
    ['/v1/diag/cp_db?x=1', 'x'],
    ['/v1/diag/wok/ledger?window=1h', 'window'],
    ['/login?nxt=/diag', 'nxt'],
  ])('%s is refused, naming %s', async (path, name) => {
    const r = await a.get(path, a.operator);
    expect(r.status).toBe(400);
    const e = (r.json() as Envelope).error;
    expect(e.code).toBe('DIAG_INVALID_QUERY');
    expect(e.message).toContain(`unknown query parameter "${name}"`);
  });

  it('a parameter given twice, or a flag that is not one, is refused too', async () => {
    const twice = await a.get('/v1/search?org=acme&org=globex', a.operator);
    expect(twice.status).toBe(400);
    expect((twice.json() as Envelope).error.message).toBe('org is given more than once; give it once');
    const flag = await a.get('/v1/search?failed=yes', a.operator);
    expect((flag.json() as Envelope).error).toMatchObject({ code: 'DIAG_INVALID_QUERY', message: 'failed is 1 or 0 (true or false)' });
    const include = await a.get(`/v1/tickets/${cid}?include=stacks`, a.operator);
    expect((include.json() as Envelope).error).toMatchObject({ code: 'DIAG_INVALID_QUERY', message: 'include takes stack and raw, not "stacks"' });
  });

  it('the parameters a route takes still work', async () => {
    const r = await a.get('/v1/search?org=acme&wok=ledger&failed=1&limit=5', a.operator);
    expect(r.status).toBe(200);
    expect((r.json() as { items: { correlation_id: string }[] }).items.map((i) => i.correlation_id)).toEqual([cid]);
    expect((await a.get('/v1/diag?verbose', a.operator)).status).not.toBe(400);
    expect((await a.get(`/v1/tickets/${cid}?include=stack,raw`, a.operator)).status).toBe(200);
  });

  it("the wok view's timeline takes kinds (repeated or comma-separated) and a window end, and refuses other kinds", async () => {
    const all = (await a.get('/v1/diag/wok/ledger', a.operator)).json() as { timeline: { kind: string }[] };
    expect(new Set(all.timeline.map((t) => t.kind))).toEqual(new Set(['audit', 'request']));
    const audits = (await a.get('/v1/diag/wok/ledger?kind=audit', a.operator)).json() as { timeline: { kind: string }[] };
    expect(audits.timeline.map((t) => t.kind)).toEqual(['audit']);
    const both = (await a.get('/v1/diag/wok/ledger?kind=audit&kind=request', a.operator)).json() as { timeline: { kind: string }[] };
    expect(both.timeline).toHaveLength(all.timeline.length);
    const before = (await a.get('/v1/diag/wok/ledger?from=2h&to=25m', a.operator)).json() as { timeline: { kind: string }[] };
    expect(before.timeline.map((t) => t.kind)).toEqual(['audit']);
    const bad = await a.get('/v1/diag/wok/ledger?kind=audits', a.operator);
    expect(bad.status).toBe(400);
    expect((bad.json() as Envelope).error.message).toBe('kind takes request, audit, lifecycle, check, not "audits"');
  });

  it('an org or wok filter that names nothing known says so, listing the known ones', async () => {
    const org = await a.get('/v1/search?org=acm', a.operator);
    expect(org.status).toBe(400);
    expect((org.json() as Envelope).error).toMatchObject({ code: 'DIAG_INVALID_QUERY', message: 'org="acm" is not an org in the inventory or the logs; known orgs: acme' });
    const wok = await a.get('/v1/search?wok=ledgr', a.operator);
    expect(wok.status).toBe(400);
    expect((wok.json() as Envelope).error.message).toBe('wok="ledgr" is not a wok in the inventory or the logs; known woks: ledger, shopfront');
  });

  it('an org or wok known only from the logs is a valid filter', async () => {
    const r = await a.get('/v1/search?org=globex&wok=inbox', a.operator);
    expect(r.status).toBe(200);
    expect((r.json() as { items: unknown[] }).items).toHaveLength(1);
  });

  it('a page with an unknown parameter answers a readable error page, not JSON', async () => {
    const r = await a.get('/diag?sinse=1h', a.operator, 'text/html');
    expect(r.status).toBe(400);
    expect(r.headers.get('content-type')).toMatch(/^text\/html/);
    const doc = parse(r.text);
    const page = elements(doc, (e) => e.tagName === 'section')[0]!;
    const text = textOf(page).replace(/\s+/g, ' ');
    expect(text).toContain('DIAG_INVALID_QUERY');
    expect(text).toContain('unknown query parameter "sinse"; it takes since');
    const plain = elements(doc, (e) => e.tagName === 'a' && textOf(e) === 'Open /diag without the query');
    expect(plain.map((e) => e.attrs.find((x) => x.name === 'href')?.value)).toEqual(['/diag']);
    const ticket = await a.get(`/tickets/${cid}?x=1`, a.operator, 'text/html');
    expect(ticket.status).toBe(400);
    expect(ticket.text).toContain('unknown query parameter &#34;x&#34;; it takes none');
  });
});
