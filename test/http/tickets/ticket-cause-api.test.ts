/**
 * The probable cause and Related requests over real HTTP, from real lines:
 * ledger's db container restarts (asked for by an audited wok.restart) just
 * before two exec_sql calls fail on it; a failure on another wok at the same
 * time has no cause. Operators get the rule, the sentence and the evidence
 * ids; the customer gets the customer-safe sentence only.
 */
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../../../src/access/api-tokens.js';
import { ingestPaths } from '../../../src/ingest/ingest-paths.js';
import { auditLog } from '../../fixtures/audit-lines.js';
import { cpLines, CP_T0, scriptCid } from '../../fixtures/cp-lines.js';
import { writeContainerDir } from '../../fixtures/docker-dir.js';
import { inventoryBuilder } from '../../fixtures/inventory.js';
import { pgRestart } from '../../fixtures/postgres-lines.js';
import { tempDir, type TempDir } from '../../fixtures/temp-dir.js';
import { tempSqliteStore, type TempSqliteStore } from '../../fixtures/sqlite-store.js';
import { startTestServer, testDeps, type TestServer } from '../../fixtures/test-server.js';

const FIRST = scriptCid('cause:first');
const SECOND = scriptCid('cause:second');
const OTHER_WOK = scriptCid('cause:other-wok');
const RESTART = scriptCid('cause:restart');

describe('probable cause and related requests over HTTP', () => {
  let dir: TempDir;
  let db: TempSqliteStore;
  let server: TestServer;
  let auth: { authorization: string };
  let customer: { authorization: string };

  beforeAll(async () => {
    dir = tempDir('ticket-cause-');
    db = tempSqliteStore();
    const inv = inventoryBuilder();
    inv.wok('ledger', 'acme');
    inv.wok('books', 'acme');
    const dana = inv.key('acme', 'dana');
    await db.store.putInventory(inv.inventory());
    customer = { authorization: `Bearer ${dana.key}` };
    const shutdownAt = CP_T0 + 9_000;
    const fail = { code: 'CP_EXEC_SQL_FAILED', message: 'docker exec into the db container failed', cause: { type: 'Error', message: 'connect ECONNREFUSED 172.18.0.4:5432' } };
    const cp = await cpLines('correlation-id', [
      { method: 'POST', path: '/v1/woks/ledger/restart', cid: RESTART, at: CP_T0 + 8_500, headers: customer, wok: 'ledger', org: 'acme' },
      { method: 'POST', path: '/v1/woks/ledger/sql', cid: FIRST, at: CP_T0 + 10_000, durationMs: 20, headers: customer, body: { sql: 'select 1' }, wok: 'ledger', org: 'acme', fail },
      { method: 'POST', path: '/v1/woks/ledger/sql', cid: SECOND, at: CP_T0 + 12_000, durationMs: 20, headers: customer, body: { sql: 'select 2' }, wok: 'ledger', org: 'acme', fail },
      { method: 'POST', path: '/v1/woks/books/sql', cid: OTHER_WOK, at: CP_T0 + 11_000, durationMs: 20, headers: customer, body: { sql: 'select 3' }, wok: 'books', org: 'acme', fail },
    ]);
    writeFileSync(dir.file('cp-1.log'), cp.text);
    writeFileSync(dir.file('audit.log'), auditLog([{ correlationId: RESTART, time: CP_T0 + 8_600, actor: 'dana', org: 'acme', action: 'wok.restart', outcome: 'success', wokId: 'ledger' }]));
    const restart = pgRestart(shutdownAt).map((text, i) => ({ text, time: shutdownAt + i * 500, stream: 'stderr' as const }));
    writeContainerDir(dir.file('docker'), { name: 'ledger-db', wok: 'ledger', role: 'db', attrs: true, lines: restart });
    expect((await ingestPaths(db.store, [dir.dir])).unparsed).toBe(0);
    server = await startTestServer(testDeps(db.store));
    auth = { authorization: `Bearer ${(await createToken(db.store, 'support', 'operator', Date.now())).secret}` };
  });

  afterAll(async () => {
    await server?.close();
    await db?.close();
    dir?.remove();
  });

  const json = async (path: string, headers = auth) => {
    const res = await fetch(`${server.url}${path}`, { headers });
    expect(res.status).toBe(200);
    return (await res.json()) as Record<string, any>;
  };

  it('names the db restart, with evidence ids that are rows of the ticket', async () => {
    const t = await json(`/v1/tickets/${FIRST}`);
    expect(t.cause).toEqual({ rule: 'db-restart', text: expect.stringMatching(/^The wok's database was restarting 1 s before this request failed \(ledger-db, after dana asked for wok\.restart\)/), evidence: expect.any(Array) });
    const ids = new Set([...t.events, ...t.context].map((e: { id: string }) => e.id).concat(t.context_audits.map((a: { event_id: string }) => a.event_id)));
    expect(t.cause.evidence.length).toBeGreaterThanOrEqual(2);
    for (const id of t.cause.evidence) expect(ids.has(id)).toBe(true);
    expect(t.context_audits).toContainEqual(expect.objectContaining({ action: 'wok.restart', actor: 'dana', correlation_id: RESTART }));
  });

  it('lists the other failure on the wok and acme platform-wide, never the request itself on the wok', async () => {
    const t = await json(`/v1/tickets/${FIRST}`);
    expect(t.related.code).toBe('CP_EXEC_SQL_FAILED');
    expect(t.related.same_wok.map((r: { correlation_id: string }) => r.correlation_id)).toEqual([SECOND]);
    // The 15 minutes before the request: the later failures are not in it, this one is.
    expect(t.related.by_org).toEqual([{ org: 'acme', count: 1, first_seen: new Date(CP_T0 + 10_000).toISOString(), last_seen: new Date(CP_T0 + 10_000).toISOString(), sample_correlation_id: FIRST }]);
  });

  it('finds no cause for the failure on another wok at the same time', async () => {
    const t = await json(`/v1/tickets/${OTHER_WOK}`);
    expect(t.error.code).toBe('CP_EXEC_SQL_FAILED');
    expect(t.cause).toBeNull();
    expect(t.context_audits).toEqual([]);
    expect(t.related.same_wok).toEqual([]);
  });

  it('gives the customer the customer-safe sentence only: no rule, ids or container names', async () => {
    const t = await json(`/v1/tickets/${FIRST}`, customer);
    expect(t.cause).toEqual({ text: "Your workspace's database was restarting just before this request; retry once it is ready." });
    expect(t).not.toHaveProperty('related');
    expect(t).not.toHaveProperty('context_audits');
    expect((await json(`/v1/tickets/${OTHER_WOK}`, customer)).cause).toBeNull();
  });
});
