/**
 * GET /v1/diag and /v1/diag/:check over real HTTP: the health+json shape,
 * status codes, what each role sees, and single-flight / timeouts under 100
 * concurrent requests (probes counted at the probed server).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { pgStartup } from '../../../scripts/formats/postgres-log.js';
import { ALL_CHECKS } from '../../../src/diag/checks/all-checks.js';
import { createCpSchema, silentServer, TEST_DB_URL } from '../../cpdb/fixtures/cp-schema.js';
import { cpDatabase } from '../../diag/fixtures/diag-deps.js';
import { PlatformLogs } from '../../diag/fixtures/platform-logs.js';
import { probeServer } from '../../diag/fixtures/probe-server.js';
import { diagApp, type DiagApp } from './fixtures/diag-app.js';

const MIN = 60_000;
const NAMES = ALL_CHECKS.map((c) => c.name);
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

interface Doc {
  status: string;
  checks: Record<string, Record<string, unknown>[]>;
  output?: string;
  notes?: string[];
}

describe('GET /v1/diag (application/health+json)', () => {
  const cleanup: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const f of cleanup.splice(0).reverse()) await f();
  });

  async function app(o: Parameters<typeof diagApp>[0] = {}): Promise<DiagApp> {
    const a = await diagApp(o);
    cleanup.push(() => a.close());
    return a;
  }

  async function logs(build: (l: PlatformLogs) => void) {
    const l = new PlatformLogs();
    cleanup.push(() => l.remove());
    build(l);
    return l;
  }

  it('warn (nothing configured, nothing ingested) is 200, with the draft\'s shape', async () => {
    const a = await app();
    const r = await a.get('/v1/diag', a.operator);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/health+json; charset=utf-8');
    expect(r.headers.get('cache-control')).toBe('no-cache');
    const doc = r.json() as Doc;
    expect(doc.status).toBe('warn');
    for (const [key, entries] of Object.entries(doc.checks)) {
      expect(key).toMatch(/^[a-z_]+:[a-zA-Z]+$/);
      expect(NAMES).toContain(key.split(':')[0]);
      for (const e of entries) {
        expect(['datastore', 'component', 'system']).toContain(e.componentType);
        expect(['pass', 'warn', 'fail']).toContain(e.status);
        expect(e.time).toMatch(ISO);
        // A unit only beside a value; neither when nothing could be read.
        if (e.observedUnit !== undefined) expect(e).toHaveProperty('observedValue');
        expect(e.observedValue).not.toBeNull();
        if (e.status === 'pass') expect(e).not.toHaveProperty('output');
        else expect(typeof e.output).toBe('string');
      }
    }
    expect(doc.checks['cp_db:responseTime']![0]!.output).toMatch(/^not configured/);
    expect(doc.checks['cp_db:responseTime']![0]).not.toHaveProperty('observedValue');
    // Findings before "not configured": a source that never logged is a finding.
    expect(doc.output).toMatch(/^ingest: no cp line has ever been ingested; cp_db: not configured/);
  });

  it('fail is 503; the root status is the worst of the checks', async () => {
    const l = await logs((x) => {
      for (let i = 0; i < 5; i++) x.request({ time: Date.now() - 2 * MIN + i, method: 'POST', path: '/v1/woks/inbox/email/send', status: 502, code: 'CP_EMAIL_UPSTREAM_FAILED' });
    });
    const a = await app({ seed: (s) => l.ingestInto(s) });
    const r = await a.get('/v1/diag', a.operator);
    expect(r.status).toBe(503);
    const doc = r.json() as Doc;
    expect(doc.status).toBe('fail');
    expect(doc.checks['email_upstream:failures']![0]).toMatchObject({ status: 'fail', observedValue: 5 });
    // One check alone answers by its own status.
    const one = await a.get('/v1/diag/email_upstream', a.operator);
    expect(one.status).toBe(503);
    expect(Object.keys((one.json() as Doc).checks)).toEqual(['email_upstream:failures']);
    const other = await a.get('/v1/diag/dns_upstream', a.operator);
    expect(other.status).toBe(200);
    expect((other.json() as Doc).status).toBe('pass');
  });

  it('pass is 200: the cp database up and fresh, every source recent, nothing failing', async () => {
    const cp = await createCpSchema();
    cleanup.push(() => cp.drop());
    await cp.addOrg('acme');
    await cp.addWok({ id: 'shopfront', org: 'acme', functionsPort: 7101 });
    await cp.setStatus('shopfront', 'running', 3);
    const db = cpDatabase(TEST_DB_URL, cp.schema);
    cleanup.push(() => db.close());
    const now = Date.now();
    const l = await logs((x) => {
      x.request({ time: now - MIN, path: '/v1/woks/shopfront', status: 200, wok: 'shopfront', org: 'acme' });
      x.audit({ time: now - 2 * MIN, actor: 'maria@acme.test', org: 'acme', action: 'env.set', outcome: 'success', wokId: 'shopfront' });
      x.pg(x.container('wok-shopfront-db', 'shopfront', 'db', now - 60 * MIN), pgStartup(now - 3 * MIN));
    });
    const a = await app({ cp: db, seed: (s) => l.ingestInto(s) });
    const r = await a.get('/v1/diag');
    expect(r.status).toBe(200);
    expect((r.json() as Doc).status).toBe('pass');
  });

  it('anonymous callers and customers get each reading\'s status only, under the operators\' keys; operators everything, details with ?verbose', async () => {
    const l = await logs((x) => {
      x.request({ time: Date.now() - MIN, method: 'POST', path: '/v1/llm/chat/completions', status: 502, code: 'CP_LLM_UPSTREAM_FAILED', message: 'upstream 10.2.3.4:443 refused' });
      for (let i = 0; i < 30; i++) x.request({ time: Date.now() - MIN + i, path: '/v1/woks', status: 200 });
      x.raw('odd.log', ['not a log line']);
    });
    const a = await app({ seed: (s) => l.ingestInto(s) });
    const operatorKeys = Object.keys(((await a.get('/v1/diag', a.operator)).json() as Doc).checks);
    for (const auth of [null, a.keys.acme!.key]) {
      for (const q of ['', '?verbose']) {
        const r = await a.get(`/v1/diag${q}`, auth);
        expect(r.status).toBe(200);
        const doc = r.json() as Doc;
        expect(Object.keys(doc.checks)).toEqual(operatorKeys);
        expect(new Set(Object.keys(doc.checks).map((k) => k.split(':')[0]))).toEqual(new Set(NAMES));
        for (const entries of Object.values(doc.checks)) {
          for (const e of entries) expect(Object.keys(e).filter((k) => k !== 'componentId').sort()).toEqual(['componentType', 'status', 'time']);
        }
        expect(doc.checks['llm_upstream:failures']![0]!.status).toBe('warn');
        expect(doc).not.toHaveProperty('output');
        expect(r.text).not.toContain('10.2.3.4');
      }
    }
    const anonOne = (await a.get('/v1/diag/llm_upstream')).json() as Doc;
    expect(Object.keys(anonOne.checks)).toEqual(['llm_upstream:failures']);

    const plain = (await a.get('/v1/diag', a.operator)).json() as Doc;
    expect(plain.checks['llm_upstream:failures']![0]).toMatchObject({ status: 'warn', observedValue: 1 });
    expect(plain.checks['llm_upstream:failures']![0]).not.toHaveProperty('links');
    expect(plain.checks['ingest:unparsed']).toHaveLength(1);
    expect(plain).not.toHaveProperty('notes');

    const verbose = (await a.get('/v1/diag?verbose', a.operator)).json() as Doc;
    expect(verbose.checks['llm_upstream:failures']![0]!.links).toEqual({ related: expect.stringMatching(new RegExp(`^${a.url}/tickets/[0-9a-f]{16}$`)) });
    expect(verbose.checks['ingest:unparsed']).toHaveLength(1);
    const streams = verbose.checks['ingest:streamUnparsed']!;
    expect(streams).toEqual([expect.objectContaining({ componentId: expect.stringMatching(/odd\.log$/), output: '1 of 1 lines unparsed' })]);
    expect(verbose.notes?.[0]).toMatch(/times out after 2000 ms/);
  });

  it('an unknown check is 404 in our envelope; other methods are 405', async () => {
    const a = await app();
    const r = await a.get('/v1/diag/nope');
    expect(r.status).toBe(404);
    const e = (r.json() as { error: { code: string; message: string; correlation_id: string } }).error;
    expect(e.code).toBe('DIAG_NOT_FOUND');
    expect(e.message).toBe(`no check named "nope"; the checks are ${NAMES.join(', ')}`);
    expect(e.correlation_id).toMatch(/^[0-9a-f]{16}$/);
    const post = await fetch(a.url + '/v1/diag', { method: 'POST', headers: { authorization: `Bearer ${a.operator}` } });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET');
  });

  it('100 concurrent requests probe the upstream once (single-flight, then the cache)', async () => {
    const up = await probeServer(200);
    cleanup.push(() => up.close());
    up.setDelay(200);
    const a = await app({ config: { cacheMs: 10_000, probes: { llm: { url: up.url }, email: null, dns: null } } });
    const all = await Promise.all(Array.from({ length: 100 }, (_, i) => a.get(i % 2 ? '/v1/diag' : '/v1/diag/llm_upstream', i % 3 ? a.operator : null)));
    expect(all.every((r) => r.status === 200)).toBe(true);
    expect(up.hits()).toBe(1);
    expect(a.diag.runner.runs).toBe(NAMES.length);
    // And the next 100, within the cache time, probe nothing.
    await Promise.all(Array.from({ length: 100 }, () => a.get('/v1/diag', a.operator)));
    expect(up.hits()).toBe(1);
  });

  it('a hung upstream and a hung cp database: fail "timed out after 500 ms", 100 concurrent requests all answered at the timeout', async () => {
    const up = await probeServer('hang');
    cleanup.push(() => up.close());
    const hung = await silentServer();
    cleanup.push(() => hung.close());
    const db = cpDatabase(`postgres://postgres@127.0.0.1:${hung.port}/test`, null, 1000);
    cleanup.push(() => db.close());
    const a = await app({ cp: db, config: { timeoutMs: 500, cacheMs: 10_000, probes: { llm: { url: up.url }, email: null, dns: null } } });
    const t0 = Date.now();
    const all = await Promise.all(Array.from({ length: 100 }, () => a.get('/v1/diag', a.operator)));
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(all.every((r) => r.status === 503)).toBe(true);
    const doc = all[0]!.json() as Doc;
    expect(doc.checks['cp_db:responseTime']![0]).toMatchObject({ status: 'fail', output: 'timed out after 500 ms' });
    expect(doc.checks['llm_upstream:failures']![0]).toMatchObject({ status: 'fail', output: 'timed out after 500 ms' });
    expect(doc.checks['ingest:lastLine']![0]!.status).toBe('warn');
    // A check that only reads the inventory on the side is not held by the hung database.
    expect(doc.checks['functions:unhealthyContainers']![0]!.status).toBe('pass');
    expect(up.hits()).toBe(1);
    expect(a.diag.runner.runs).toBe(NAMES.length);
    // Connections to the hung database are bounded by the pool, not by the requests (a slow machine may see the pool
    // give up on one after its connect timeout and open another: never more than the pool at once).
    expect(hung.peakOpen()).toBeLessThanOrEqual(2);
    expect(hung.connections()).toBeLessThan(10);
  });
});
