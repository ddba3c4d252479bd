/**
 * The shared fixtures write what the real programs write: what they build
 * ingests into the events a test expects, and the test server serves.
 */
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestPaths } from '../../src/ingest/ingest-paths.js';
import type { ContainerEvent } from '../../src/model/event.js';
import { auditLog } from '../fixtures/audit-lines.js';
import { writeContainerDir } from '../fixtures/docker-dir.js';
import { inventoryBuilder } from '../fixtures/inventory.js';
import { pgExecError, pgRestart, pgStart } from '../fixtures/postgres-lines.js';
import { tempSqliteStore, type TempSqliteStore } from '../fixtures/sqlite-store.js';
import { tempDir, type TempDir } from '../fixtures/temp-dir.js';
import { startTestServer, testDeps } from '../fixtures/test-server.js';

const T = Date.parse('2026-11-24T20:00:00.000Z');
const CID = '5367500fbf670405';
const lines = (texts: string[], from: number, stream: 'stdout' | 'stderr' = 'stderr') => texts.map((text, i) => ({ text, time: from + i, stream }));

let tmp: TempDir;
let s: TempSqliteStore;

beforeAll(async () => {
  tmp = tempDir();
  const root = tmp.file('containers');
  // Labels from config.v2.json only; a rotated file holds the start.
  writeContainerDir(root, { name: 'wok-ledger-db', wok: 'ledger', role: 'db', rotated: [lines(pgStart(T), T)], lines: lines([...pgExecError(CID, T + 60_000, 'relation "missing_table" does not exist at character 15', 'select * from missing_table'), ...pgRestart(T + 120_000)], T + 60_000) });
  // Labels on every record, and no config.v2.json at all.
  writeContainerDir(root, { name: 'wok-inbox-fn', wok: 'inbox', role: 'functions', attrs: true, config: false, lines: [{ text: JSON.stringify({ level: 30, time: T, pid: 1, hostname: 'fn', correlation_id: CID, msg: 'function invoked' }), time: T, stream: 'stdout' }] });
  writeFileSync(tmp.file('audit.log'), auditLog([{ correlationId: CID, time: T + 61_000, wokId: 'ledger' }]));
  s = tempSqliteStore();
  await ingestPaths(s.store, [root, tmp.file('audit.log')], { final: true });
});

afterAll(async () => {
  await s?.close();
  tmp?.remove();
});

describe('test fixtures', () => {
  it('container dirs ingest with their wok and role from config.v2.json or from attrs, rotated files included', async () => {
    expect((await s.store.containers('ledger')).map((c) => [c.name, c.role])).toEqual([['wok-ledger-db', 'db']]);
    expect((await s.store.containers('inbox')).map((c) => c.role)).toEqual(['functions']);
    const states = (await s.store.lifecycle({ from: T - 1, to: T + 200_000, wok: 'ledger' })).map((l) => l.state).reverse();
    // The start in the rotated file, then the restart in the live one, in order.
    expect(states.indexOf('ready')).toBeLessThan(states.indexOf('stopping'));
    expect(states.indexOf('stopping')).toBeLessThan(states.indexOf('shutdown'));
    expect(states.lastIndexOf('ready')).toBeGreaterThan(states.indexOf('shutdown'));
  });

  it('PostgreSQL and audit lines join their correlation id', async () => {
    const events = await s.store.eventsByCid(CID);
    expect(events.map((e) => `${e.source}:${e.message}`)).toEqual([
      'container:function invoked',
      'container:relation "missing_table" does not exist at character 15',
      'container:select * from missing_table',
      'audit:maria@acme.io wok.sql.exec → success',
    ]);
    expect((events[1] as ContainerEvent).fields.application).toBe(`cp:${CID}`);
  });

  it('the inventory builder mints keys the store resolves by prefix', async () => {
    const inv = inventoryBuilder().wok('ledger', 'acme').wok('legacy', 'acme', 'active', null);
    const key = inv.key('acme', 'maria@acme.io');
    expect(key.key).toMatch(/^skl_[0-9a-f]{64}$/);
    await s.store.putInventory(inv.inventory());
    expect((await s.store.keysByPrefix(key.prefix)).map((k) => k.user)).toEqual(['maria@acme.io']);
    expect((await s.store.wok('legacy'))!.functionsPort).toBeNull();
  });

  it('startTestServer serves the app on an ephemeral loopback port', async () => {
    const server = await startTestServer(testDeps(s.store));
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      // Anything else answers with our envelope (whether the guard or the router answers first).
      const other = await fetch(`${server.url}/v1/no/such/route`, { headers: { accept: 'application/json' } });
      expect(other.status).toBeGreaterThanOrEqual(400);
      expect(((await other.json()) as { error: { code: string } }).error.code).toMatch(/^DIAG_/);
    } finally {
      await server.close();
    }
  });
});
