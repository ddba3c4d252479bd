/**
 * Every /v1/diag answer — anonymous, customer, operator, verbose, and each
 * check alone — is valid application/health+json by the draft's schema
 * (fixtures/health-json-schema.ts), over a platform with something wrong in
 * every subsystem: the same keys for everyone, units not phrases, RFC 3339
 * times, absolute link URIs under registered relations.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgStartup } from '../../../scripts/formats/postgres-log.js';
import { ALL_CHECKS } from '../../../src/diag/checks/all-checks.js';
import { createCpSchema, TEST_DB_URL, type CpSchema } from '../../cpdb/fixtures/cp-schema.js';
import { cpDatabase } from '../../diag/fixtures/diag-deps.js';
import { PlatformLogs } from '../../diag/fixtures/platform-logs.js';
import type { CpDatabase } from '../../../src/cpdb/cp-database.js';
import { diagApp, type DiagApp } from './fixtures/diag-app.js';
import { healthDocumentProblems } from './fixtures/health-json-schema.js';

const MIN = 60_000;
const NOW = Date.now();

interface Doc {
  status: string;
  version?: string;
  releaseId?: string;
  checks: Record<string, Record<string, unknown>[]>;
  links: Record<string, string>;
}

describe('every /v1/diag answer is health+json by the draft', () => {
  let a: DiagApp;
  let logs: PlatformLogs;
  let cp: CpSchema;
  let db: CpDatabase;

  beforeAll(async () => {
    cp = await createCpSchema();
    await cp.addOrg('acme');
    await cp.addWok({ id: 'inbox', org: 'acme', functionsPort: 7101 });
    await cp.addWok({ id: 'legacy', org: 'acme', functionsPort: null });
    await cp.setStatus('inbox', 'running', 3);
    await cp.setStatus('legacy', 'running', 900);
    db = cpDatabase(TEST_DB_URL, cp.schema);
    logs = new PlatformLogs();
    for (let i = 0; i < 6; i++) logs.request({ time: NOW - 3 * MIN + i, method: 'POST', path: '/v1/llm/chat/completions', status: 502, code: 'CP_LLM_UPSTREAM_FAILED', org: 'acme' });
    logs.request({ time: NOW - 2 * MIN, method: 'POST', path: '/v1/woks/inbox/sql', status: 500, code: 'CP_DB_QUERY_FAILED', wok: 'inbox', org: 'acme' });
    logs.request({ time: NOW - 2 * MIN, method: 'POST', path: '/v1/woks/inbox/functions/send-digest/invoke', status: 502, code: 'CP_FUNCTION_RUNTIME_UNAVAILABLE', wok: 'inbox', org: 'acme' });
    logs.request({ time: NOW - 90_000, method: 'GET', path: '/v1/woks/legacy', status: 503, code: 'CP_STATUS_STALE', wok: 'legacy', org: 'acme' });
    const fn = logs.container('wok-inbox-fn', 'inbox', 'functions', NOW - 60 * MIN);
    for (const at of [NOW - 9 * MIN, NOW - 6 * MIN, NOW - 3 * MIN]) {
      logs.fn(fn, at, 'info', { version: '1.8.2' }, 'starting functions runtime');
      logs.fn(fn, at + 143, 'fatal', { function: 'send-digest' }, 'uncaught exception while loading functions');
    }
    logs.pg(logs.container('wok-inbox-db', 'inbox', 'db', NOW - 60 * MIN), pgStartup(NOW - 30 * MIN));
    logs.raw('odd.log', ['not a log line']);
    a = await diagApp({ cp: db, seed: (s) => logs.ingestInto(s) });
  });

  afterAll(async () => {
    await a?.close();
    logs?.remove();
    await db?.close();
    await cp?.drop();
  });

  const callers = () => ({ anonymous: null, customer: a.keys.acme!.key, operator: a.operator });

  it('GET /v1/diag and /v1/diag?verbose for every caller, and each check alone', async () => {
    const paths = ['/v1/diag', '/v1/diag?verbose', ...ALL_CHECKS.flatMap((c) => [`/v1/diag/${c.name}`, `/v1/diag/${c.name}?verbose`])];
    let checked = 0;
    for (const [who, auth] of Object.entries(callers())) {
      for (const path of paths) {
        const r = await a.get(path, auth);
        expect(r.headers.get('content-type'), `${who} ${path}`).toBe('application/health+json; charset=utf-8');
        expect({ who, path, problems: healthDocumentProblems(r.json()) }).toEqual({ who, path, problems: [] });
        checked++;
      }
    }
    expect(checked).toBe(3 * (2 + 2 * ALL_CHECKS.length));
  });

  it('anonymous callers, customers and operators get the same check keys; the public answer has fewer fields, not other names', async () => {
    const keys = async (auth: string | null) => Object.keys(((await a.get('/v1/diag', auth)).json() as Doc).checks);
    const operator = await keys(a.operator);
    expect(operator).toContain('cp_db:responseTime');
    expect(operator).toContain('functions:unhealthyContainers');
    expect(await keys(null)).toEqual(operator);
    expect(await keys(a.keys.acme!.key)).toEqual(operator);
    const anon = (await a.get('/v1/diag')).json() as Doc;
    for (const [key, entries] of Object.entries(anon.checks)) {
      for (const e of entries) expect(Object.keys(e).filter((k) => k !== 'componentId').sort(), key).toEqual(['componentType', 'status', 'time']);
    }
    // The log sources are named for everyone; the cp database's address is not.
    expect(anon.checks['ingest:lastLine']!.map((e) => e.componentId)).toEqual(['cp', 'container', 'audit']);
    expect(JSON.stringify(anon)).not.toContain('127.0.0.1:5432');
  });

  it('a summary and per-component readings are never in one array: functions:unhealthyContainers and functions:containers', async () => {
    const doc = (await a.get('/v1/diag?verbose', a.operator)).json() as Doc;
    expect(doc.checks['functions:unhealthyContainers']).toEqual([expect.objectContaining({ status: 'fail', observedValue: 1, observedUnit: 'containers' })]);
    expect(doc.checks['functions:containers']!.map((e) => e.componentId)).toEqual(['wok-inbox-fn']);
    expect(doc.checks['reconciler:statusAge']).toHaveLength(1);
    expect(doc.checks['reconciler:wokStatusAge']!.map((e) => e.componentId)).toEqual(['legacy']);
  });

  it('units, not phrases; no null values; times RFC 3339; affected cp routes; absolute link URIs; version and releaseId from package.json', async () => {
    const doc = (await a.get('/v1/diag?verbose', a.operator)).json() as Doc;
    expect(doc.checks['llm_upstream:failures']![0]).toMatchObject({ observedValue: 6, observedUnit: 'requests', affectedEndpoints: ['/v1/llm/chat/completions'] });
    expect(doc.checks['cp_db:queryFailures']![0]).toMatchObject({ observedUnit: 'requests', affectedEndpoints: ['/v1/woks/{id}/sql'] });
    expect(doc.checks['functions:invokeFailures']![0]).toMatchObject({ affectedEndpoints: ['/v1/woks/{id}/functions/{name}/invoke'] });
    expect(doc.checks['cp_db:contract']![0]).toMatchObject({ observedValue: 4, observedUnit: 'views' });
    expect(doc.checks['reconciler:functionsPort']![0]).toMatchObject({ observedValue: 1, observedUnit: 'woks' });
    const last = doc.checks['ingest:lastLine']!.find((e) => e.componentId === 'cp')!;
    expect(Date.parse(String(last.observedValue))).toBeGreaterThan(NOW - 5 * MIN);
    expect(last).not.toHaveProperty('observedUnit');
    // Nothing audited: no value at all rather than null.
    const audit = doc.checks['ingest:lastLine']!.find((e) => e.componentId === 'audit')!;
    expect(audit).not.toHaveProperty('observedValue');
    expect(JSON.stringify(doc)).not.toMatch(/:null\b|"observedUnit":""/);
    expect(doc.checks['llm_upstream:failures']![0]!.links).toEqual({ related: expect.stringMatching(new RegExp(`^${a.url}/tickets/[0-9a-f]{16}$`)) });
    expect(doc.checks['functions:unhealthyContainers']![0]!.links).toEqual({ about: `${a.url}/diag/wok/inbox` });
    expect(doc.links).toEqual({ self: `${a.url}/v1/diag?verbose`, about: `${a.url}/diag` });
    const pkg = (await import('../../../package.json', { with: { type: 'json' } })).default as { version: string };
    expect(doc.releaseId).toBe(pkg.version);
    expect(doc.version).toBe(pkg.version.split('.')[0]);
  });
});
