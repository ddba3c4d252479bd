/**
 * The ticket over real HTTP, from real lines: the cp's pino-http (both
 * configurations), a wok's db container (PostgreSQL text in Docker json-file,
 * with a restart) and the audit log — the JSON shape issue 2 names, the page,
 * the paste box, our own error envelopes and correlation ids.
 */
import { writeFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../../../src/access/api-tokens.js';
import { ingestPaths } from '../../../src/ingest/ingest-paths.js';
import { createLogger } from '../../../src/logging/logger.js';
import { auditLog } from '../../fixtures/audit-lines.js';
import { cpLines, CP_T0, scriptCid } from '../../fixtures/cp-lines.js';
import { writeContainerDir } from '../../fixtures/docker-dir.js';
import { inventoryBuilder } from '../../fixtures/inventory.js';
import { pgExecError, pgRestart } from '../../fixtures/postgres-lines.js';
import { tempDir, type TempDir } from '../../fixtures/temp-dir.js';
import { tempSqliteStore, type TempSqliteStore } from '../../fixtures/sqlite-store.js';
import { startTestServer, testDeps, type TestServer } from '../../fixtures/test-server.js';

const FAILED = scriptCid('tickets-api:exec');
const OK = scriptCid('tickets-api:ok');
const UNCATALOGUED = scriptCid('tickets-api:sql-error');

describe('tickets over HTTP', () => {
  let dir: TempDir;
  let db: TempSqliteStore;
  let server: TestServer;
  let auth: { authorization: string };
  const logLines: string[] = [];

  beforeAll(async () => {
    dir = tempDir('tickets-api-');
    db = tempSqliteStore();
    const inv = inventoryBuilder();
    inv.wok('ledger', 'acme');
    const dana = inv.key('acme', 'dana');
    await db.store.putInventory(inv.inventory());
    const bearer = { authorization: `Bearer ${dana.key}` };
    // The db container shuts down 1 s before the exec_sql call and is back 5 s later.
    const shutdownAt = CP_T0 + 9_000;
    const a = await cpLines('correlation-id', [
      { method: 'POST', path: '/v1/woks/ledger/sql', cid: FAILED, at: CP_T0 + 10_000, durationMs: 240, headers: bearer, body: { sql: 'select 1' }, wok: 'ledger', org: 'acme', fail: { code: 'CP_EXEC_SQL_FAILED', message: 'docker exec into the db container failed', cause: { type: 'Error', message: 'connect ECONNREFUSED 172.18.0.4:5432' } } },
      { method: 'GET', path: '/v1/woks/ledger', cid: OK, at: CP_T0 + 20_000, headers: bearer, wok: 'ledger', org: 'acme' },
    ]);
    const b = await cpLines('req-id', [
      { method: 'POST', path: '/v1/woks/ledger/sql', cid: UNCATALOGUED, at: CP_T0 + 30_000, headers: bearer, body: { sql: 'select * from missing_table' }, wok: 'ledger', org: 'acme', fail: { code: 'CP_SQL_ERROR', message: 'relation "missing_table" does not exist', status: 400 } },
    ]);
    writeFileSync(dir.file('cp-1.log'), a.text);
    writeFileSync(dir.file('cp-2.log'), b.text);
    writeFileSync(dir.file('audit.log'), auditLog([{ correlationId: FAILED, time: CP_T0 + 10_240, actor: 'dana', org: 'acme', action: 'wok.sql.exec', outcome: 'failure', wokId: 'ledger' }]));
    const restart = pgRestart(shutdownAt).map((text, i) => ({ text, time: shutdownAt + i * 500, stream: 'stderr' as const }));
    const sqlError = pgExecError(UNCATALOGUED, CP_T0 + 30_002, 'relation "missing_table" does not exist at character 15', 'select * from missing_table').map((text) => ({ text, time: CP_T0 + 30_002, stream: 'stderr' as const }));
    writeContainerDir(dir.file('docker'), { name: 'ledger-db', wok: 'ledger', role: 'db', attrs: true, lines: [...restart, ...sqlError] });
    const r = await ingestPaths(db.store, [dir.dir]);
    expect(r.unparsed).toBe(0);
    const logger = createLogger({ level: 'info', pretty: false, destination: new Writable({ write: (c, _e, cb) => (logLines.push(...String(c).split('\n').filter(Boolean)), cb()) }) });
    server = await startTestServer({ ...testDeps(db.store), logger });
    auth = { authorization: `Bearer ${(await createToken(db.store, 'support', 'operator', Date.now())).secret}` };
  });

  afterAll(async () => {
    await server?.close();
    await db?.close();
    dir?.remove();
  });

  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${server.url}${path}`, { headers: { ...auth, ...headers }, redirect: 'manual' });

  it('answers the shape issue 2 names, with every source in time order and the catalogued remediation', async () => {
    const res = await get(`/v1/tickets/${FAILED}`);
    expect(res.status).toBe(200);
    const t = (await res.json()) as Record<string, any>;
    expect(t.correlation_id).toBe(FAILED);
    expect(t.request).toEqual({ method: 'POST', path: '/v1/woks/ledger/sql', status: 502, org: 'acme', user: 'dana', key_prefix: expect.stringMatching(/^skl_[0-9a-f]{8}$/), wok: 'ledger', time: new Date(CP_T0 + 10_000).toISOString(), duration_ms: 240 });
    expect(t.error).toMatchObject({ code: 'CP_EXEC_SQL_FAILED', message: expect.stringContaining('docker exec into the db container failed') });
    expect(t.remediation).toEqual({ code: 'CP_EXEC_SQL_FAILED', catalogued: true, group: 'Upstream / platform', http: 502, fix_side: 'state', text: expect.stringContaining("docker-exec call into the wok's db container failed"), filled_text: expect.stringContaining('hit /diag/wok/ledger.') });
    const sources = new Set(t.events.map((e: { source: string }) => e.source));
    expect(sources).toEqual(new Set(['cp', 'audit']));
    const times = t.events.map((e: { time: string }) => Date.parse(e.time));
    expect(times).toEqual([...times].sort((x, y) => x - y));
    for (const e of t.events) expect(Object.keys(e)).toEqual(expect.arrayContaining(['source', 'time', 'level', 'message']));
    // The db container's shutdown does not carry the id but explains the failure.
    const ctx = t.context.map((e: { container: { role: string }; lifecycle: string | null; message: string }) => [e.container.role, e.lifecycle, e.message]);
    expect(ctx).toContainEqual(['db', 'stopping', 'received fast shutdown request']);
    expect(ctx.find((c: unknown[]) => c[1] === 'shutdown')).toBeTruthy();
  });

  it('joins the PostgreSQL line logged under application_name cp:<id>, and shows the cp\'s own hint for an uncatalogued code', async () => {
    const t = (await (await get(`/v1/tickets/${UNCATALOGUED.toUpperCase()}`)).json()) as Record<string, any>;
    expect(t.correlation_id).toBe(UNCATALOGUED);
    const pg = t.events.filter((e: { source: string }) => e.source === 'container');
    expect(pg.map((e: { message: string }) => e.message)).toContain('relation "missing_table" does not exist at character 15');
    expect(pg[0].container).toMatchObject({ name: 'ledger-db', wok: 'ledger', role: 'db' });
    expect(t.remediation).toMatchObject({ code: 'CP_SQL_ERROR', catalogued: false, group: null, fix_side: null });
    expect(t.error).toMatchObject({ code: 'CP_SQL_ERROR' });
  });

  it('a successful request has no error and no remediation', async () => {
    const t = (await (await get(`/v1/tickets/${OK}`)).json()) as Record<string, any>;
    expect(t.request.status).toBe(200);
    expect(t.error).toBeNull();
    expect(t.remediation).toBeNull();
  });

  it('shows stack traces and stored records only on demand', async () => {
    const plain = JSON.stringify(await (await get(`/v1/tickets/${FAILED}`)).json());
    expect(plain).not.toContain('"stack"');
    expect(plain).not.toContain('"raw"');
    const full = JSON.stringify(await (await get(`/v1/tickets/${FAILED}?include=stack,raw`)).json());
    expect(full).toContain('"stack"');
    expect(full).toContain('"raw"');
  });

  it('answers an unknown id 404 and a malformed one 400 in our envelope, with our correlation id and no stack', async () => {
    const unknown = await get('/v1/tickets/0123456789abcdef');
    expect(unknown.status).toBe(404);
    const body = (await unknown.json()) as { error: Record<string, string> };
    expect(Object.keys(body.error).sort()).toEqual(['code', 'correlation_id', 'hint', 'message']);
    expect(body.error.code).toBe('DIAG_TICKET_NOT_FOUND');
    expect(body.error.correlation_id).toBe(unknown.headers.get('x-correlation-id'));
    expect(body.error.correlation_id).toMatch(/^[0-9a-f]{16}$/);
    const bad = await get('/v1/tickets/not-an-id%3Cscript%3E');
    expect(bad.status).toBe(400);
    const text = await bad.text();
    expect(JSON.parse(text).error.code).toBe('DIAG_INVALID_CORRELATION_ID');
    expect(text).not.toMatch(/at .*\.(?:js|ts):\d+/);
  });

  it('keeps a well-formed incoming X-Correlation-Id, replaces a malformed one, and logs under it', async () => {
    const mine = 'feedfacecafebeef';
    const kept = await get(`/v1/tickets/${OK}`, { 'x-correlation-id': mine.toUpperCase() });
    expect(kept.headers.get('x-correlation-id')).toBe(mine);
    const replaced = await get(`/v1/tickets/${OK}`, { 'x-correlation-id': 'DROP TABLE; --' });
    expect(replaced.headers.get('x-correlation-id')).toMatch(/^[0-9a-f]{16}$/);
    const ours = logLines.map((l) => JSON.parse(l) as { correlation_id?: string; req?: { id?: string } }).filter((l) => l.correlation_id === mine);
    expect(ours.length).toBeGreaterThan(0);
    expect(ours.every((l) => l.req === undefined || l.req.id === mine)).toBe(true);
    expect(logLines.join('\n')).not.toContain(auth.authorization.slice(7));
  });

  it('405 with Allow for other methods; 404 envelope for unknown routes', async () => {
    const r = await fetch(`${server.url}/v1/tickets/${OK}`, { method: 'DELETE', headers: auth });
    expect(r.status).toBe(405);
    expect(r.headers.get('allow')).toBe('GET');
    const n = await get('/v1/nothing-here');
    expect(n.status).toBe(404);
    expect(((await n.json()) as { error: { code: string } }).error.code).toBe('DIAG_ROUTE_NOT_FOUND');
  });

  it('the page shows the request, the code, the remediation and the context', async () => {
    const res = await get(`/tickets/${FAILED}`, { accept: 'text/html' });
    expect(res.status).toBe(200);
    const html = await res.text();
    for (const s of ['CP_EXEC_SQL_FAILED', 'fix: state', 'POST /v1/woks/ledger/sql', 'received fast shutdown request', 'Context']) expect(html).toContain(s);
    expect(html).toContain('The docker-exec call into the wok&#39;s db container failed');
  });

  describe('the paste box', () => {
    const lookup = async (text: string) => (await (await fetch(`${server.url}/v1/lookup`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ text }) })).json()) as Record<string, any>;

    it('finds the id in a whole error envelope, a log line or upper case, and says whether it is known', async () => {
      const envelope = JSON.stringify({ error: { code: 'CP_EXEC_SQL_FAILED', message: 'x', hint: 'y', correlation_id: FAILED } }, null, 2);
      expect(await lookup(envelope)).toMatchObject({ kind: 'one', cid: FAILED, via: 'envelope', known: { [FAILED]: true } });
      expect(await lookup(`x-correlation-id: ${OK.toUpperCase()}\r\ncontent-type: application/json`)).toMatchObject({ kind: 'one', cid: OK, known: { [OK]: true } });
      expect(await lookup('0123456789abcdef')).toMatchObject({ kind: 'one', known: { '0123456789abcdef': false } });
    });

    it('lists several ids, and explains a traceparent or a UUID instead of guessing', async () => {
      expect(await lookup(`${FAILED} then ${OK}`)).toMatchObject({ kind: 'many', cids: [FAILED, OK] });
      const tp = await lookup('traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01');
      expect(tp.kind).toBe('none');
      expect(tp.saw.join(' ')).toMatch(/W3C traceparent/);
      expect((await lookup('9b2f6c1e-3f1a-4c55-9d2b-1f0e8a7c6d5e')).saw.join(' ')).toMatch(/UUID/);
      expect((await lookup('nothing useful here')).kind).toBe('none');
    });

    it('GET /?q= goes straight to a known ticket, and renders what it found otherwise', async () => {
      const go = await get(`/?q=${encodeURIComponent(`{"error":{"correlation_id":"${FAILED}"}}`)}`, { accept: 'text/html' });
      expect(go.status).toBe(303);
      expect(go.headers.get('location')).toBe(`/tickets/${FAILED}`);
      const many = await get(`/?q=${encodeURIComponent(`${FAILED} ${OK}`)}`, { accept: 'text/html' });
      expect(many.status).toBe(200);
      const html = await many.text();
      expect(html).toContain(`/tickets/${FAILED}`);
      expect(html).toContain(`/tickets/${OK}`);
    });
  });

  it('search pages the requests newest first without gaps or repeats', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = (await (await get(`/v1/search?limit=1${cursor ? `&cursor=${cursor}` : ''}`)).json()) as { items: { correlation_id: string }[]; next: string | null };
      seen.push(...page.items.map((i) => i.correlation_id));
      cursor = page.next;
    } while (cursor);
    expect(seen).toEqual([UNCATALOGUED, OK, FAILED]);
    const failed = (await (await get('/v1/search?failed=1')).json()) as { items: { correlation_id: string; code: string }[] };
    expect(failed.items.map((i) => [i.correlation_id, i.code])).toEqual([[UNCATALOGUED, 'CP_SQL_ERROR'], [FAILED, 'CP_EXEC_SQL_FAILED']]);
  });
});
