/**
 * GET /v1/diag/wok/:id and /diag/wok/:id over real HTTP, on real logs: an
 * operator sees everything, a customer their own org's woks in a safe
 * version, anyone else the platform's own errors.
 */
import { parse } from 'parse5';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgShutdown, pgStartup } from '../../../scripts/formats/postgres-log.js';
import { catalog } from '../../../src/catalog/catalog.js';
import { createCpSchema, TEST_DB_URL, type CpSchema } from '../../cpdb/fixtures/cp-schema.js';
import { cpDatabase } from '../../diag/fixtures/diag-deps.js';
import { PlatformLogs } from '../../diag/fixtures/platform-logs.js';
import { diagApp, type DiagApp } from './fixtures/diag-app.js';
import { elements, textOf } from './fixtures/html.js';

const NOW = Date.now();
const MIN = 60_000;
const HOUR = 60 * MIN;

type Json = Record<string, unknown> & { [k: string]: any };

describe('the wok view', () => {
  let a: DiagApp;
  let logs: PlatformLogs;
  let failedCid = '';

  beforeAll(async () => {
    logs = new PlatformLogs();
    const db = logs.container('wok-shopfront-db', 'shopfront', 'db', NOW - 3 * HOUR);
    const fn = logs.container('wok-shopfront-functions', 'shopfront', 'functions', NOW - 3 * HOUR);
    logs.pg(db, pgStartup(NOW - 2 * HOUR));
    logs.fn(fn, NOW - 2 * HOUR, 'info', { version: '1.8.2' }, 'starting functions runtime');
    logs.fn(fn, NOW - 2 * HOUR + 195, 'info', { port: 8080 }, 'runtime listening on :8080');
    // maria restarts the wok; the db goes down and comes back; exec_sql fails meanwhile.
    logs.audit({ time: NOW - 10 * MIN - 500, actor: 'maria@acme.test', org: 'acme', action: 'wok.restart', outcome: 'success', wokId: 'shopfront' });
    logs.pg(db, [...pgShutdown(NOW - 10 * MIN), ...pgStartup(NOW - 9 * MIN)]);
    for (let i = 0; i < 3; i++) {
      failedCid = logs.request({ time: NOW - 10 * MIN + 200 + i * 100, method: 'POST', path: '/v1/woks/shopfront/sql', status: 502, code: 'CP_EXEC_SQL_FAILED', wok: 'shopfront', org: 'acme', message: 'docker exec into the db container failed' });
    }
    logs.request({ time: NOW - 5 * MIN, path: '/v1/woks/shopfront', status: 200, wok: 'shopfront', org: 'acme' });
    // Someone of another org probing the wok id.
    logs.request({ time: NOW - 4 * MIN, path: '/v1/woks/shopfront', status: 404, code: 'CP_PROJECT_NOT_FOUND', wok: 'shopfront', org: 'globex' });
    // A wok the inventory does not know, seen in the logs only.
    logs.request({ time: NOW - 3 * MIN, path: '/v1/woks/ghost', status: 404, code: 'CP_PROJECT_NOT_FOUND', wok: 'ghost', org: 'globex' });
    a = await diagApp({
      woks: [
        { id: 'shopfront', org: 'acme', status: 'active', functionsPort: 7101 },
        { id: 'gone', org: 'acme', status: 'destroyed' },
        { id: 'rival', org: 'globex', status: 'active' },
      ],
      seed: async (store) => {
        await logs.ingestInto(store);
        const rec = (t: number, status: 'pass' | 'fail', output: string | null) => ({ check: 'cp_db', status, time: t, output });
        await store.recordChecks([rec(NOW - 20 * MIN, 'pass', null), rec(NOW - 19.5 * MIN, 'fail', 'connection refused'), rec(NOW - 19 * MIN, 'pass', null)]);
      },
    });
  });

  afterAll(async () => {
    await a.close();
    logs.remove();
  });

  it('operator: org, status, each container\'s state from its log (the db restarted), errors with remediation, audit, timeline, tails', async () => {
    const r = await a.get('/v1/diag/wok/shopfront', a.operator);
    expect(r.status).toBe(200);
    const j = r.json() as Json;
    expect(j.wok).toMatchObject({ id: 'shopfront', org: 'acme', status: 'active', in_inventory: true, functions_enabled: true });
    expect(j.guidance).toBeNull();
    expect(j.status_freshness.note).toMatch(/^not configured/);

    const byRole = Object.fromEntries((j.containers as Json[]).map((c) => [c.role, c]));
    expect(byRole.db).toMatchObject({ name: 'wok-shopfront-db', condition: 'ready', boots: 2, since: new Date(NOW - 9 * MIN + 14).toISOString() });
    expect(byRole.db.last_lifecycle_line.message).toBe('database system is ready to accept connections');
    expect(byRole.db.tail.length).toBeGreaterThan(5);
    expect(byRole.db.tail.at(-1).message).toBe('database system is ready to accept connections');
    expect(byRole.functions).toMatchObject({ condition: 'ready', boots: 1 });

    const sql = (j.errors as Json[]).find((e) => e.code === 'CP_EXEC_SQL_FAILED')!;
    expect(sql).toMatchObject({ count: 3, sample_correlation_id: failedCid });
    expect(sql.remediation).toMatchObject({ catalogued: true, fix_side: 'state', text: catalog.get('CP_EXEC_SQL_FAILED')!.remediation });
    expect((j.errors as Json[]).map((e) => e.code)).toContain('CP_PROJECT_NOT_FOUND');
    expect(j.audit).toEqual([expect.objectContaining({ actor: 'maria@acme.test', action: 'wok.restart', outcome: 'success' })]);

    const tl = j.timeline as Json[];
    const times = tl.map((t) => Date.parse(t.time));
    expect(times).toEqual([...times].sort((x, y) => y - x));
    expect(new Set(tl.map((t) => t.kind))).toEqual(new Set(['audit', 'request', 'lifecycle', 'check']));
    // Reading down from the restart: audit, then the db stopping, then the failures.
    const restart = tl.findIndex((t) => t.kind === 'audit');
    const stopping = tl.findIndex((t) => t.kind === 'lifecycle' && t.state === 'stopping');
    const failure = tl.findIndex((t) => t.kind === 'request' && t.code === 'CP_EXEC_SQL_FAILED');
    expect(failure).toBeLessThan(stopping);
    expect(stopping).toBeLessThan(restart);
    expect(tl.filter((t) => t.kind === 'check').map((t) => [t.check, t.from, t.to, t.output ?? null])).toEqual([
      ['cp_db', 'fail', 'pass', null],
      ['cp_db', 'pass', 'fail', 'connection refused'],
    ]);
    expect(j.health.map((h: Json) => h.check)).toEqual(['cp_db', 'reconciler', 'db container', 'functions container']);
    // The db container's own strip shows it down during the restart.
    expect(j.health[2].segments.map((s: Json) => s.status)).toContain('fail');
    expect(j.health[0].segments.some((s: Json) => s.status === 'fail')).toBe(true);
  });

  it('customer of the owning org: the safe version — no container names, ids, tails, log text, check outputs or other orgs\' requests', async () => {
    const r = await a.get('/v1/diag/wok/shopfront', a.keys.acme!.key);
    expect(r.status).toBe(200);
    const j = r.json() as Json;
    for (const c of j.containers as Json[]) {
      expect(Object.keys(c)).not.toEqual(expect.arrayContaining(['tail']));
      expect(c).not.toHaveProperty('name');
      expect(c).not.toHaveProperty('id');
      expect(c).not.toHaveProperty('last_lifecycle_line');
    }
    expect((j.containers as Json[]).find((c) => c.role === 'db')).toMatchObject({ condition: 'ready', boots: 2 });
    expect((j.errors as Json[]).map((e) => e.code)).toEqual(['CP_EXEC_SQL_FAILED']);
    for (const t of j.timeline as Json[]) {
      if (t.kind === 'lifecycle') {
        expect(t).not.toHaveProperty('message');
        expect(['db', 'functions']).toContain(t.container);
      }
      if (t.kind === 'check') expect(t).not.toHaveProperty('output');
      if (t.kind === 'request') expect(t.code).not.toBe('CP_PROJECT_NOT_FOUND');
    }
    expect(r.text).not.toContain('wok-shopfront-db');
    expect(r.text).not.toContain('connection refused');
  });

  it('another org\'s wok and a wok that does not exist answer the same 404 CP_PROJECT_NOT_FOUND', async () => {
    const other = await a.get('/v1/diag/wok/shopfront', a.keys.globex!.key);
    const none = await a.get('/v1/diag/wok/nosuch', a.keys.globex!.key);
    const malformed = await a.get('/v1/diag/wok/NoSuch', a.keys.globex!.key);
    for (const r of [other, none, malformed]) expect(r.status).toBe(404);
    const strip = (t: string) => t.replace(/"correlation_id":"[0-9a-f]{16}"/, '');
    expect(strip(other.text)).toBe(strip(none.text));
    expect(strip(other.text)).toBe(strip(malformed.text));
    expect((other.json() as Json).error.code).toBe('CP_PROJECT_NOT_FOUND');
  });

  it('a destroyed wok: 409 CP_NOT_ACTIVE for its customer; operators see it with the catalogued guidance', async () => {
    const c = await a.get('/v1/diag/wok/gone', a.keys.acme!.key);
    expect(c.status).toBe(409);
    expect((c.json() as Json).error.code).toBe('CP_NOT_ACTIVE');
    const o = await a.get('/v1/diag/wok/gone', a.operator);
    expect(o.status).toBe(200);
    expect((o.json() as Json).guidance).toEqual({ code: 'CP_NOT_ACTIVE', http: 409, fix_side: 'state', text: catalog.get('CP_NOT_ACTIVE')!.remediation });
  });

  it('no credentials: 401 CP_UNAUTHENTICATED for programs, the sign-in page for browsers', async () => {
    const r = await a.get('/v1/diag/wok/shopfront');
    expect(r.status).toBe(401);
    expect((r.json() as Json).error.code).toBe('CP_UNAUTHENTICATED');
    const b = await a.get('/diag/wok/shopfront', null, 'text/html');
    expect(b.status).toBe(303);
    expect(b.headers.get('location')).toBe('/login?next=%2Fdiag%2Fwok%2Fshopfront');
  });

  it('operators: a wok known only to the logs is shown; one known nowhere is 404 DIAG_NOT_FOUND', async () => {
    const ghost = await a.get('/v1/diag/wok/ghost', a.operator);
    expect(ghost.status).toBe(200);
    expect((ghost.json() as Json).wok).toMatchObject({ id: 'ghost', in_inventory: false, org: null });
    const none = await a.get('/v1/diag/wok/nosuch', a.operator);
    expect(none.status).toBe(404);
    expect((none.json() as Json).error.code).toBe('DIAG_NOT_FOUND');
  });

  it('the page: operators get container tails and the timeline; customers neither names nor tails', async () => {
    const op = await a.get('/diag/wok/shopfront', a.operator, 'text/html');
    expect(op.status).toBe(200);
    const doc = parse(op.text);
    const conds = elements(doc, (e) => e.attrs.some((x) => x.name === 'class' && x.value.startsWith('cond '))).map(textOf);
    expect(conds).toEqual(['ready', 'ready']);
    expect(op.text).toContain('last ');
    expect(elements(doc, (e) => e.tagName === 'table' && e.attrs.some((x) => x.value === 'events')).length).toBe(2);
    expect(elements(doc, (e) => e.tagName === 'script').every((s) => s.attrs.some((x) => x.name === 'src'))).toBe(true);
    const tl = elements(doc, (e) => e.attrs.some((x) => x.name === 'class' && /^tk tk-/.test(x.value))).map(textOf);
    expect(tl).toContain('lifecycle');

    const cu = await a.get('/diag/wok/shopfront', a.keys.acme!.key, 'text/html');
    expect(cu.status).toBe(200);
    expect(cu.text).not.toContain('wok-shopfront-db');
    expect(elements(parse(cu.text), (e) => e.tagName === 'table' && e.attrs.some((x) => x.value === 'events'))).toEqual([]);
  });
});

describe('the wok view with the cp database', () => {
  let cp: CpSchema;
  let a: DiagApp;
  const dbs: { close(): Promise<void> }[] = [];

  beforeAll(async () => {
    cp = await createCpSchema();
    await cp.addOrg('acme');
    await cp.addWok({ id: 'shopfront', org: 'acme', functionsPort: 7101 });
    await cp.addWok({ id: 'legacy', org: 'acme', functionsPort: null });
    await cp.setStatus('shopfront', 'running', 7);
    await cp.setStatus('legacy', 'running', 400);
    const db = cpDatabase(TEST_DB_URL, cp.schema);
    dbs.push(db);
    a = await diagApp({ cp: db });
  });

  afterAll(async () => {
    await a.close();
    for (const d of dbs) await d.close();
    await cp.drop();
  });

  it('shows the status row\'s freshness and whether functions are enabled, from the live inventory', async () => {
    const fresh = (await a.get('/v1/diag/wok/shopfront', a.operator)).json() as Json;
    expect(fresh.status_freshness).toMatchObject({ fresh: true, state: 'running' });
    expect(fresh.status_freshness.age_s).toBeGreaterThanOrEqual(7);
    expect(fresh.wok.functions_enabled).toBe(true);
    const stale = (await a.get('/v1/diag/wok/legacy', a.operator)).json() as Json;
    expect(stale.status_freshness).toMatchObject({ fresh: false, state: 'running' });
    expect(stale.wok.functions_enabled).toBe(false);
  });
});
