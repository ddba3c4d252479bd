/** GET /v1/search over real HTTP: the fix side, source, method, path and free-text filters, the count, paging and the 400s. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../../../src/access/api-tokens.js';
import { auditStream, cid, container, cpStream, dockerStream, StreamFixture, T0 } from '../../fixtures/events.js';
import { tempSqliteStore, type TempSqliteStore } from '../../fixtures/sqlite-store.js';
import { startTestServer, testDeps, type TestServer } from '../../fixtures/test-server.js';

interface Body {
  items: { correlation_id: string; method: string; path: string; code: string | null }[];
  next: string | null;
  count: number;
  count_exact: boolean;
}

describe('GET /v1/search filters', () => {
  let db: TempSqliteStore;
  let server: TestServer;
  let auth: { authorization: string };

  beforeAll(async () => {
    db = tempSqliteStore();
    const cp = new StreamFixture(cpStream());
    const fn = new StreamFixture(dockerStream(container('fn1', 'ledger', 'functions')));
    const au = new StreamFixture(auditStream());
    for (let i = 0; i < 12; i++) {
      const c = cid(`api-${i}`);
      const failed = i % 2 === 1;
      cp.request({ cid: c, time: T0 + i * 1000, org: 'acme', wok: 'ledger', method: failed ? 'POST' : 'GET', url: failed ? '/v1/woks/ledger/sql' : '/v1/woks/ledger', ...(failed ? { status: 409, code: 'CP_NOT_ACTIVE' } : {}) });
      if (i === 4) fn.fn({ time: T0 + i * 1000 - 3, cid: c, msg: 'Cold start took 900 ms' });
      if (i === 5) au.audit({ cid: c, time: T0 + i * 1000 + 1, wok: 'ledger' });
    }
    await db.store.writeBatch({ streams: [cp.batch(), fn.batch(), au.batch()] });
    server = await startTestServer(testDeps(db.store));
    auth = { authorization: `Bearer ${(await createToken(db.store, 'support', 'operator', Date.now())).secret}` };
  });

  afterAll(async () => {
    await server?.close();
    await db?.close();
  });

  const get = async (query: string, headers: Record<string, string> = auth) => {
    const res = await fetch(`${server.url}/v1/search${query}`, { headers });
    return { status: res.status, body: (await res.json()) as Body & { error?: { code: string; message: string } } };
  };

  it('filters by fix side, method and path prefix, with the count of every match', async () => {
    const state = await get('?fix_side=state&limit=2');
    expect(state.status).toBe(200);
    expect(state.body.items.map((i) => i.correlation_id)).toEqual([cid('api-11'), cid('api-9')]);
    expect([state.body.count, state.body.count_exact]).toEqual([6, true]);
    const next = await get(`?fix_side=state&limit=2&cursor=${state.body.next}`);
    expect(next.body.items.map((i) => i.correlation_id)).toEqual([cid('api-7'), cid('api-5')]);
    expect((await get('?fix_side=platform')).body).toMatchObject({ items: [], count: 0, next: null });
    expect((await get('?method=get&path=/v1/woks/ledger')).body.count).toBe(6);
    expect((await get('?path=/v1/woks/ledger/')).body.items.every((i) => i.path === '/v1/woks/ledger/sql')).toBe(true);
  });

  it('filters by source and by free text in any source\'s messages', async () => {
    expect((await get('?source=container')).body.items.map((i) => i.correlation_id)).toEqual([cid('api-4')]);
    expect((await get('?source=audit')).body.items.map((i) => i.correlation_id)).toEqual([cid('api-5')]);
    expect((await get('?q=COLD%20START')).body.items.map((i) => i.correlation_id)).toEqual([cid('api-4')]);
    expect((await get('?q=cold.start')).body.count).toBe(0);
    expect((await get('?q=request%20errored&org=acme')).body.count).toBe(6);
  });

  it('refuses bad values with a DIAG_INVALID_QUERY envelope', async () => {
    for (const bad of ['?fix_side=everyone', '?source=kernel', '?method=G%20T', '?path=v1', `?q=${'x'.repeat(201)}`, '?q=a%0Ab', '?qq=x', '?method=GET&cursor=nope']) {
      const r = await get(bad);
      expect(r.status, bad).toBe(400);
      expect(r.body.error?.code, bad).toMatch(/^DIAG_INVALID_(QUERY|CURSOR)$/);
    }
  });

  it('needs an operator', async () => {
    expect((await get('?q=cold', {})).status).toBe(401);
  });
});
