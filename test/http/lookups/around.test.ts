/**
 * GET /v1/events/:id/around and /events/:id/around: the lines either side of
 * one event in its own stream only, lines without a correlation id included,
 * n bounded, operators only; the ticket's rows link to it.
 */
import { parse } from 'parse5';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlatformLogs } from '../../diag/fixtures/platform-logs.js';
import { diagApp, type DiagApp } from '../diag/fixtures/diag-app.js';
import { elements, hasClass } from '../diag/fixtures/html.js';

const NOW = Date.now();
const MIN = 60_000;

interface Line {
  id: string;
  source: string;
  message: string;
  correlation_id: string | null;
  container?: { id: string };
}
interface AroundJson {
  event: Line;
  n: number;
  before: Line[];
  after: Line[];
}

describe('around a line', () => {
  let a: DiagApp;
  let logs: PlatformLogs;
  let cid = '';
  let fnId = '';

  beforeAll(async () => {
    logs = new PlatformLogs();
    const fn = logs.container('wok-ledger-functions', 'ledger', 'functions', NOW - 60 * MIN);
    const other = logs.container('wok-shop-functions', 'shop', 'functions', NOW - 60 * MIN);
    cid = logs.request({ time: NOW - 20 * MIN, method: 'POST', path: '/v1/woks/ledger/sql', status: 502, code: 'CP_EXEC_SQL_FAILED', wok: 'ledger', org: 'acme' });
    for (let i = 0; i < 8; i++) {
      logs.fn(fn, NOW - 30 * MIN + i * 1000, 'info', i === 4 ? { correlation_id: cid } : {}, `ledger line ${i}`);
      logs.fn(other, NOW - 30 * MIN + i * 1000 + 1, 'info', {}, `shop line ${i}`);
    }
    fnId = fn;
    a = await diagApp({ woks: [{ id: 'ledger', org: 'acme', status: 'active' }], seed: (store) => logs.ingestInto(store) });
  });

  afterAll(async () => {
    await a.close();
    logs.remove();
  });

  async function lineId(message: string): Promise<string> {
    const tail = await a.store.containerTail(fnId, 50);
    return tail.find((e) => e.message === message)!.id;
  }

  it('answers n lines before and after from the same container only, lines without a cid included', async () => {
    const r = await a.get(`/v1/events/${encodeURIComponent(await lineId('ledger line 4'))}/around?n=2`, a.operator);
    expect(r.status).toBe(200);
    const j = r.json() as AroundJson;
    expect(j.n).toBe(2);
    expect(j.event.message).toBe('ledger line 4');
    expect(j.event.correlation_id).toBe(cid);
    expect(j.before.map((l) => l.message)).toEqual(['ledger line 2', 'ledger line 3']);
    expect(j.after.map((l) => l.message)).toEqual(['ledger line 5', 'ledger line 6']);
    expect([...j.before, ...j.after].every((l) => l.correlation_id === null && l.container?.id === fnId)).toBe(true);
  });

  it('stops at the start of the stream and defaults n to 50', async () => {
    const j = (await a.get(`/v1/events/${encodeURIComponent(await lineId('ledger line 1'))}/around`, a.operator)).json() as AroundJson;
    expect(j.n).toBe(50);
    expect(j.before.map((l) => l.message)).toEqual(['ledger line 0']);
    expect(j.after).toHaveLength(6);
  });

  it('refuses n above 500, unknown parameters, an unknown id, and callers who are not operators', async () => {
    const id = encodeURIComponent(await lineId('ledger line 1'));
    expect((await a.get(`/v1/events/${id}/around?n=501`, a.operator)).status).toBe(400);
    expect((await a.get(`/v1/events/${id}/around?m=5`, a.operator)).status).toBe(400);
    const missing = await a.get(`/v1/events/${id}99/around`, a.operator);
    expect(missing.status).toBe(404);
    expect((missing.json() as { error: { code: string } }).error.code).toBe('DIAG_NOT_FOUND');
    expect((await a.get(`/v1/events/${id}/around`, a.keys.acme!.key)).status).toBe(403);
    expect((await a.get(`/v1/events/${id}/around`)).status).toBe(401);
  });

  it('the page marks the line and links the tickets of lines that carry an id', async () => {
    const id = await lineId('ledger line 3');
    const r = await a.get(`/events/${encodeURIComponent(id)}/around?n=3`, a.operator, 'text/html');
    expect(r.status).toBe(200);
    const doc = parse(r.text);
    const rows = elements(doc, (e) => e.tagName === 'tr' && e.attrs.some((x) => x.name === 'id' && x.value.startsWith('ev-')));
    expect(rows).toHaveLength(7);
    const marked = rows.filter((e) => hasClass(e, 'at-moment'));
    expect(marked.map((e) => e.attrs.find((x) => x.name === 'id')!.value)).toEqual([`ev-${id}`]);
    const tickets = elements(doc, (e) => e.tagName === 'a' && hasClass(e, 'ticket-link'));
    expect(tickets.map((e) => e.attrs.find((x) => x.name === 'href')!.value)).toEqual([`/tickets/${cid}`]);
  });

  it("the ticket page's lines link to the lines around them", async () => {
    const r = await a.get(`/tickets/${cid}`, a.operator, 'text/html');
    const links = elements(parse(r.text), (e) => e.tagName === 'a' && hasClass(e, 'around'));
    expect(links.length).toBeGreaterThan(0);
    expect(links.every((l) => /^\/events\/[^/]+\/around$/.test(l.attrs.find((x) => x.name === 'href')!.value))).toBe(true);
  });
});
