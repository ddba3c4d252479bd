/**
 * The demo dataset, generated and ingested for real: every catalogued code in
 * the requests, the deliberate garbage (and only it) unparsed, the featured
 * ids resolving to tickets that show what they promise, the /diag stories
 * where issue 4 expects them, and no secret in the database file.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CP_ERRORS } from '../../scripts/demo/cp-errors.js';
import { generateDemo, type DemoSummary } from '../../scripts/demo/generate-demo.js';
import { catalog } from '../../src/catalog/catalog.js';
import { ingestPaths, type IngestReport } from '../../src/ingest/ingest-paths.js';
import { readInventoryFile } from '../../src/ingest/inventory-file.js';
import type { Unparsed } from '../../src/model/event.js';
import { buildTicket } from '../../src/queries/ticket.js';
import type { RequestSummary } from '../../src/model/request.js';
import { tempSqliteStore, type TempSqliteStore } from '../fixtures/sqlite-store.js';
import { tempDir, type TempDir } from '../fixtures/temp-dir.js';

const NOW = Date.parse('2026-11-24T21:00:00.000Z');
const MIN = 60_000;

let tmp: TempDir;
let demo: DemoSummary;
let s: TempSqliteStore;
let report: IngestReport;

beforeAll(async () => {
  tmp = tempDir('tellwang-demo-');
  demo = await generateDemo({ dir: tmp.file('demo'), now: NOW });
  s = tempSqliteStore();
  report = await ingestPaths(s.store, demo.logPaths, { final: true });
  await s.store.putInventory(readInventoryFile(demo.inventoryPath));
});

afterAll(async () => {
  await s?.close();
  tmp?.remove();
});

async function requestsWith(code: string): Promise<RequestSummary[]> {
  return (await s.store.search({ code, from: NOW - 6 * 60 * MIN, to: NOW, limit: 500 })).items;
}

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => (statSync(path.join(dir, n)).isDirectory() ? files(path.join(dir, n)) : [path.join(dir, n)]));
}

describe('the demo dataset', () => {
  it('holds a few hundred requests through all three sources, over the hours before now', async () => {
    const stats = await s.store.stats();
    expect(stats.requests).toBe(demo.requests);
    expect(demo.requests).toBeGreaterThanOrEqual(300);
    expect(report.events.audit).toBe(demo.auditEntries);
    expect(report.events.container).toBe(demo.containerLines);
    expect(report.events.cp).toBeGreaterThan(demo.requests);
    const inRange = await s.store.requestCounts({ from: NOW - 5 * 60 * MIN, to: NOW });
    expect(inRange.total).toBe(stats.requests);
    for (const st of stats.streams) expect(st.lastTime!).toBeLessThanOrEqual(NOW);
    const inv = await s.store.inventory();
    expect(inv.orgs).toHaveLength(4);
    expect(inv.woks.map((w) => w.status).sort()).toEqual(['active', 'active', 'active', 'active', 'active', 'destroyed', 'provisioning']);
    expect(inv.woks.find((w) => w.id === 'legacy')!.functionsPort).toBeNull();
  });

  it('has every catalogued code in its requests, and uncatalogued codes carrying the cp\'s hint', async () => {
    const { byCode } = await s.store.requestCounts({ from: NOW - 6 * 60 * MIN, to: NOW });
    const missing = catalog.entries().map((e) => e.code).filter((c) => !byCode[c]);
    expect(missing).toEqual([]);
    const outside = Object.keys(byCode).filter((c) => !catalog.get(c));
    expect(outside.sort()).toEqual(['CP_FUNCTION_RUNTIME_UNAVAILABLE', 'CP_SQL_ERROR']);
    const sqlError = (await buildTicket(s.store, catalog, (await requestsWith('CP_SQL_ERROR'))[0]!.cid))!;
    expect(sqlError.remediation).toEqual({ kind: 'uncatalogued', code: 'CP_SQL_ERROR', http: 400, text: CP_ERRORS.CP_SQL_ERROR!.hint });
    // The db logged the statement under application_name cp:<id>: the ticket holds both lines.
    expect(sqlError.events.filter((e) => e.source === 'container').map((e) => e.message)).toEqual([
      'relation "missing_table" does not exist at character 27',
      'select sku, count(*) from missing_table group by sku',
    ]);
  });

  it('keeps exactly the deliberate garbage lines as unparsed', async () => {
    const all: Unparsed[] = [];
    let cursor: string | null = null;
    do {
      const page = await s.store.unparsed(cursor, 100);
      all.push(...page.items);
      cursor = page.next;
    } while (cursor);
    const where = (file: string | null, line: number) => `${file}:${line}`;
    expect(all.map((u) => where(u.path, u.line)).sort()).toEqual(demo.garbage.map((g) => where(g.file, g.line)).sort());
    expect(demo.garbage.length).toBeGreaterThanOrEqual(4);
    expect(report.unparsed).toBe(demo.garbage.length);
  });

  it('features a restart ticket whose context holds the db shutdown', async () => {
    const t = (await buildTicket(s.store, catalog, demo.featured[0].cid))!;
    expect(t.request).toMatchObject({ method: 'POST', path: '/v1/woks/ledger/sql', status: 502, wok: 'ledger', org: 'acme', user: 'ci-deploy@acme.io' });
    expect(t.error!.code).toBe('CP_EXEC_SQL_FAILED');
    expect(t.error!.message).toContain('ECONNREFUSED');
    expect(t.events.map((e) => e.source).sort()).toContain('audit');
    const db = t.context.filter((e) => e.source === 'container' && e.container.role === 'db' && e.container.wok === 'ledger');
    const states = db.map((e) => (e.source === 'container' ? e.lifecycle : null));
    expect(states).toContain('stopping');
    expect(states).toContain('shutdown');
    expect(states).toContain('ready');
    expect(db.find((e) => e.message === 'database system is shut down')!.time).toBeLessThan(t.request!.time);
  });

  it('features an LLM upstream failure that spans the cp and the functions runtime', async () => {
    const t = (await buildTicket(s.store, catalog, demo.featured[1].cid))!;
    expect(t.error!.code).toBe('CP_LLM_UPSTREAM_FAILED');
    expect(t.remediation).toMatchObject({ kind: 'catalogued', fixSide: 'platform / BYOK' });
    expect(new Set(t.events.map((e) => e.source))).toEqual(new Set(['cp', 'container']));
    const fn = t.events.filter((e) => e.source === 'container');
    expect(fn.every((e) => e.source === 'container' && e.container.role === 'functions' && e.container.wok === 'shopfront')).toBe(true);
    expect(fn.some((e) => e.code === 'CP_LLM_UPSTREAM_FAILED' && e.level === 'error')).toBe(true);
  });

  it('features an uncatalogued code, explained by the cp\'s hint and a crash-looping runtime', async () => {
    const t = (await buildTicket(s.store, catalog, demo.featured[2].cid))!;
    expect(t.remediation).toEqual({ kind: 'uncatalogued', code: 'CP_FUNCTION_RUNTIME_UNAVAILABLE', http: 502, text: CP_ERRORS.CP_FUNCTION_RUNTIME_UNAVAILABLE!.hint });
    expect(t.context.filter((e) => e.source === 'container' && e.lifecycle === 'crash').length).toBeGreaterThanOrEqual(1);
    const audits = await s.store.audits({ from: NOW - 60 * MIN, to: NOW, wok: 'inbox' });
    expect(audits.map((a) => a.action)).toContain('wok.env.delete');
  });

  it('joins a runtime line Docker split at 16 KiB back into one event', async () => {
    const split = files(path.join(demo.dir, 'docker', 'containers'))
      .filter((f) => f.endsWith('-json.log'))
      .flatMap((f) => readFileSync(f, 'utf8').split('\n'))
      .filter((l) => l.includes(demo.longLineCid) && !l.includes('\\n","stream"'));
    expect(split).toHaveLength(1);
    const events = await s.store.eventsByCid(demo.longLineCid);
    const long = events.find((e) => e.message === 'webhook payload received')!;
    expect(long.fields._parts).toBe(2);
    expect((long.fields.payload as { events: unknown[] }).events).toHaveLength(240);
  });

  it('reads wok and role from attrs on some containers and from config.v2.json on others', async () => {
    const logs = files(path.join(demo.dir, 'docker', 'containers')).filter((f) => f.endsWith('-json.log'));
    const withAttrs = logs.filter((f) => readFileSync(f, 'utf8').includes('"attrs":{"tellwang.role"'));
    expect(withAttrs.length).toBeGreaterThan(0);
    expect(withAttrs.length).toBeLessThan(logs.length);
    for (const wok of ['shopfront', 'inbox']) {
      expect((await s.store.containers(wok)).map((c) => c.role).sort()).toEqual(['db', 'functions']);
    }
  });

  it('tells the /diag stories where issue 4 expects them', async () => {
    const llm = await requestsWith('CP_LLM_UPSTREAM_FAILED');
    expect(llm.filter((r) => r.time >= NOW - 10 * MIN).length).toBeGreaterThanOrEqual(15);
    // Sparse: a few over the hours, one (not five) in the last quarter hour.
    const email = await requestsWith('CP_EMAIL_UPSTREAM_FAILED');
    expect(email.length).toBeGreaterThanOrEqual(3);
    expect(email.filter((r) => r.time >= NOW - 15 * MIN)).toHaveLength(1);
    expect(email.filter((r) => r.time >= NOW - 60 * MIN).length).toBeLessThanOrEqual(2);
    const cpDb = await requestsWith('CP_DB_QUERY_FAILED');
    expect(cpDb.every((r) => r.time >= NOW - 63 * MIN && r.time <= NOW - 58 * MIN)).toBe(true);
    for (const code of ['CP_STATUS_STALE', 'CP_FUNCTIONS_NOT_ENABLED']) {
      expect((await requestsWith(code)).every((r) => r.wok === 'legacy')).toBe(true);
    }
    const restarts = await s.store.lifecycle({ from: NOW - 40 * MIN, to: NOW - 30 * MIN, wok: 'ledger' });
    expect(restarts.map((l) => l.state)).toEqual(expect.arrayContaining(['shutdown', 'start', 'ready']));
  });

  it('keeps every secret it holds out of the database file', async () => {
    const raw = demo.logPaths.filter((p) => p.endsWith('.log')).map((p) => readFileSync(p, 'utf8')).join('');
    // The secrets are really in the logs (else this test could not fail)…
    expect(demo.secrets.filter((x) => raw.includes(x)).length).toBeGreaterThanOrEqual(8);
    await s.closeStore();
    const bytes = s.bytes();
    // …and none of them reached the store.
    expect(demo.secrets.filter((x) => bytes.includes(x))).toEqual([]);
  });
});

describe('generating the demo', () => {
  it('is the same, byte for byte, for the same seed and now', async () => {
    const again = await generateDemo({ dir: tmp.file('again'), now: NOW });
    const norm = (f: string) => readFileSync(f, 'utf8');
    const a = files(demo.dir).map((f) => path.relative(demo.dir, f)).sort();
    expect(files(again.dir).map((f) => path.relative(again.dir, f)).sort()).toEqual(a);
    for (const f of a) expect(norm(path.join(again.dir, f)), f).toBe(norm(path.join(demo.dir, f)));
    expect(again.featured).toEqual(demo.featured);
    const other = await generateDemo({ dir: tmp.file('other'), now: NOW, seed: 7 });
    expect(other.featured[0].cid).not.toBe(demo.featured[0].cid);
  });
});
