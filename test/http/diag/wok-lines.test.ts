/**
 * GET /diag/wok/:id/lines over real HTTP: the wok's container lines around a
 * moment (one container's, or every one's), the nearest line marked, and the
 * wok page linking there from its lifecycle and failed-request rows. Log text,
 * so operators only.
 */
import { parse } from 'parse5';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgShutdown, pgStartup } from '../../../scripts/formats/postgres-log.js';
import { PlatformLogs } from '../../diag/fixtures/platform-logs.js';
import { diagApp, type DiagApp } from './fixtures/diag-app.js';
import { elements, hasClass, textOf, type Element } from './fixtures/html.js';

const NOW = Date.now();
const MIN = 60_000;
const HOUR = 60 * MIN;
const STOP = NOW - 10 * MIN;

const href = (e: Element) => e.attrs.find((a) => a.name === 'href')?.value ?? '';
const lineTexts = (html: string) => elements(parse(html), (e) => e.tagName === 'span' && hasClass(e, 'text')).map(textOf);

describe('the container lines around a moment', () => {
  let a: DiagApp;
  let logs: PlatformLogs;
  let db = '';

  beforeAll(async () => {
    logs = new PlatformLogs();
    db = logs.container('wok-shopfront-db', 'shopfront', 'db', NOW - 3 * HOUR);
    const fn = logs.container('wok-shopfront-functions', 'shopfront', 'functions', NOW - 3 * HOUR);
    logs.pg(db, [...pgStartup(NOW - 2 * HOUR), ...pgShutdown(STOP), ...pgStartup(STOP + 30_000)]);
    logs.fn(fn, STOP + 1000, 'error', {}, 'idle client error');
    logs.fn(fn, STOP - 30 * MIN, 'info', {}, 'long before the restart');
    logs.request({ time: STOP + 2000, method: 'POST', path: '/v1/woks/shopfront/sql', status: 502, code: 'CP_EXEC_SQL_FAILED', wok: 'shopfront', org: 'acme' });
    a = await diagApp({ woks: [{ id: 'shopfront', org: 'acme', status: 'active' }], seed: (store) => logs.ingestInto(store) });
  });

  afterAll(async () => {
    await a.close();
    logs.remove();
  });

  it("one container's lines in the window, the one nearest the moment marked", async () => {
    const at = new Date(STOP).toISOString();
    const r = await a.get(`/diag/wok/shopfront/lines?at=${at}&container=${db}`, a.operator, 'text/html');
    expect(r.status).toBe(200);
    const texts = lineTexts(r.text);
    expect(texts).toContain('received fast shutdown request');
    expect(texts).toContain('database system is ready to accept connections');
    expect(texts).not.toContain('idle client error');
    const marked = elements(parse(r.text), (e) => e.tagName === 'tr' && hasClass(e, 'at-moment'));
    expect(marked.map((m) => textOf(elements(m, (e) => e.tagName === 'span' && hasClass(e, 'text'))[0]!))).toEqual(['received fast shutdown request']);
  });

  it("without a container, every container's lines; nothing outside the window", async () => {
    const r = await a.get(`/diag/wok/shopfront/lines?at=${STOP}`, a.operator, 'text/html');
    const texts = lineTexts(r.text);
    expect(texts).toContain('received fast shutdown request');
    expect(texts).toContain('idle client error');
    expect(texts).not.toContain('long before the restart');
  });

  it('the wok page links its lifecycle and failed-request rows there', async () => {
    const page = parse((await a.get('/diag/wok/shopfront', a.operator, 'text/html')).text);
    const links = elements(page, (e) => e.tagName === 'a' && hasClass(e, 'tl-lines')).map(href);
    expect(links).toContain(`/diag/wok/shopfront/lines?at=${encodeURIComponent(new Date(STOP).toISOString())}&container=${db}`);
    expect(links.some((l) => /^\/diag\/wok\/shopfront\/lines\?at=[^&]+$/.test(l))).toBe(true);
    for (const l of links) expect((await a.get(l, a.operator, 'text/html')).status).toBe(200);
  });

  it('is for operators: a customer is refused, and so is a request without a moment', async () => {
    expect((await a.get(`/diag/wok/shopfront/lines?at=${STOP}`, a.keys.acme!.key, 'text/html')).status).toBe(403);
    expect(elements(parse((await a.get('/diag/wok/shopfront', a.keys.acme!.key, 'text/html')).text), (e) => e.tagName === 'a' && hasClass(e, 'tl-lines'))).toEqual([]);
    const none = await a.get('/diag/wok/shopfront/lines', a.operator);
    expect(none.status).toBe(400);
    expect((none.json() as { error: { message: string } }).error.message).toBe('at is required: the moment to show the lines around');
  });
});
