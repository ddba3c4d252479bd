/**
 * The audit of lookups over HTTP: tickets, searches, around and replies are
 * recorded for tokens and customer keys (operators' sessions in the browser
 * test), listed by GET /v1/audit and /audit newest first, filtered by actor
 * and org, paged; a failed insert leaves the lookup answering.
 */
import Database from 'better-sqlite3';
import { parse } from 'parse5';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlatformLogs } from '../../diag/fixtures/platform-logs.js';
import { diagApp, type DiagApp } from '../diag/fixtures/diag-app.js';
import { elements, textOf } from '../diag/fixtures/html.js';

const NOW = Date.now();
const MIN = 60_000;

interface Item {
  time: string;
  actor_kind: string;
  actor: string;
  org: string | null;
  kind: string;
  target: string;
  address: string | null;
}
interface Listing {
  items: Item[];
  next: string | null;
}

describe('the audit of lookups', () => {
  let a: DiagApp;
  let logs: PlatformLogs;
  let cid = '';

  beforeAll(async () => {
    logs = new PlatformLogs();
    cid = logs.request({ time: NOW - 5 * MIN, method: 'GET', path: '/v1/woks/ledger', status: 404, code: 'CP_WOK_NOT_FOUND', wok: 'ledger', org: 'acme' });
    a = await diagApp({ woks: [{ id: 'ledger', org: 'acme', status: 'active' }], seed: (store) => logs.ingestInto(store) });
  });

  afterAll(async () => {
    await a.close();
    logs.remove();
  });

  const audit = async (q = '') => (await a.get(`/v1/audit${q}`, a.operator)).json() as Listing;

  it('records a ticket, a reply, an around and a search by a token, and a ticket by a customer key', async () => {
    expect((await a.get(`/v1/tickets/${cid}`, a.operator)).status).toBe(200);
    expect((await a.get(`/v1/tickets/${cid}/reply`, a.operator)).status).toBe(200);
    const id = (await a.store.eventsByCid(cid))[0]!.id;
    expect((await a.get(`/v1/events/${encodeURIComponent(id)}/around?n=5`, a.operator)).status).toBe(200);
    expect((await a.get('/v1/search?org=acme&failed=1', a.operator)).status).toBe(200);
    expect((await a.get(`/v1/tickets/${cid}`, a.keys.acme!.key)).status).toBe(200);
    const { items } = await audit();
    expect(items.map((i) => [i.actor_kind, i.actor, i.org, i.kind, i.target])).toEqual([
      ['customer', a.keys.acme!.prefix, 'acme', 'ticket', cid],
      ['token', 'oncall', null, 'search', 'org=acme&failed=1'],
      ['token', 'oncall', null, 'around', id],
      ['token', 'oncall', null, 'reply', cid],
      ['token', 'oncall', null, 'ticket', cid],
    ]);
    expect(items.every((i) => i.address === '127.0.0.1' || i.address === '::ffff:127.0.0.1')).toBe(true);
    expect(Date.parse(items[0]!.time)).toBeGreaterThanOrEqual(NOW);
  });

  it('filters by operator and by org, and pages newest first', async () => {
    expect((await audit('?org=acme')).items.map((i) => i.actor_kind)).toEqual(['customer']);
    expect((await audit('?operator=oncall')).items.every((i) => i.actor === 'oncall')).toBe(true);
    const first = await audit('?operator=oncall&limit=2');
    expect(first.items.map((i) => i.kind)).toEqual(['search', 'around']);
    const second = await audit(`?operator=oncall&limit=2&cursor=${first.next}`);
    expect(second.items.map((i) => i.kind)).toEqual(['reply', 'ticket']);
  });

  it('the page lists the same rows, and refuses anyone but an operator', async () => {
    const r = await a.get('/audit?org=acme', a.operator, 'text/html');
    expect(r.status).toBe(200);
    const rows = elements(parse(r.text), (e) => e.tagName === 'tr' && e.attrs.some((x) => x.name === 'class' && x.value.startsWith('lk-')));
    expect(rows.map(textOf).join('\n')).toContain(a.keys.acme!.prefix);
    expect(rows).toHaveLength(1);
    expect((await a.get('/v1/audit', a.keys.acme!.key)).status).toBe(403);
    expect((await a.get('/audit?who=x', a.operator, 'text/html')).status).toBe(400);
  });

  it('records a search made on the /search page too', async () => {
    expect((await a.get('/search?wok=ledger', a.operator, 'text/html')).status).toBe(200);
    expect((await audit('?operator=oncall&limit=1')).items.map((i) => [i.kind, i.target])).toEqual([['search', 'wok=ledger']]);
  });

  it('a lookup still answers when its record cannot be written', async () => {
    const raw = new Database(a.store.file);
    raw.exec('DROP TABLE lookups');
    raw.close();
    expect((await a.get(`/v1/tickets/${cid}`, a.operator)).status).toBe(200);
  });
});
