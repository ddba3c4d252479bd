/** GET /metrics over real HTTP: operator-only, counts requests by route pattern (never by raw id), and carries /diag statuses. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../../../src/access/api-tokens.js';
import { createDiagServices } from '../../../src/diag/diag-services.js';
import { catalog } from '../../../src/catalog/catalog.js';
import { storeInventory } from '../../../src/store/store-inventory.js';
import { startTestServer, testDeps, type TestServer } from '../../fixtures/test-server.js';
import { tempSqliteStore, type TempSqliteStore } from '../../fixtures/sqlite-store.js';

describe('GET /metrics', () => {
  let db: TempSqliteStore;
  let server: TestServer;
  let auth: { authorization: string };

  beforeAll(async () => {
    db = tempSqliteStore();
    const clock = { now: () => Date.now() };
    const deps = testDeps(db.store, { clock });
    deps.diag = createDiagServices({ store: db.store, inventory: storeInventory(db.store), catalog, clock });
    server = await startTestServer(deps);
    auth = { authorization: `Bearer ${(await createToken(db.store, 'prometheus', 'operator', Date.now())).secret}` };
  });

  afterAll(async () => {
    await server.close();
    await db.close();
  });

  it('is closed to anonymous callers', async () => {
    const r = await fetch(`${server.url}/metrics`, { headers: { accept: 'application/json' } });
    expect(r.status).toBe(401);
    expect((await r.json()) as unknown).toMatchObject({ error: { code: 'DIAG_UNAUTHENTICATED' } });
  });

  it('counts requests by route pattern and status, and shows the last /diag statuses', async () => {
    const id = 'abcdef0123456789';
    expect((await fetch(`${server.url}/v1/tickets/${id}`, { headers: auth })).status).toBe(404);
    expect((await fetch(`${server.url}/v1/diag`, { headers: auth })).status).toBeGreaterThanOrEqual(200);
    const r = await fetch(`${server.url}/metrics`, { headers: auth });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await r.text();
    expect(text).toMatch(/tellwang_diag_http_requests_total\{method="GET",route="\/v1\/tickets\/:cid",status="404"\} 1/);
    expect(text).not.toContain(id);
    expect(text).toMatch(/tellwang_diag_http_request_duration_seconds_bucket\{le="0.005",route="\/v1\/diag"\} \d+/);
    for (const check of ['cp_db', 'reconciler', 'functions', 'llm_upstream', 'email_upstream', 'dns_upstream', 'ingest']) {
      expect(text).toMatch(new RegExp(`tellwang_diag_check_status\\{check="${check}"\\} [012]`));
    }
    expect(text).toMatch(/tellwang_diag_process_resident_memory_bytes \d+/);
  });
});
