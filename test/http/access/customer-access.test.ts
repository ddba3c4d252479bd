/**
 * Customers over real HTTP: their platform key against the imported inventory,
 * the platform's own codes for bad keys, their own tickets and woks only, and
 * another org's the same 404 as a missing one, byte for byte.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../../../src/access/api-tokens.js';
import { CUSTOMER_TICKET_FLOOR_MS } from '../../../src/http/routes/tickets.js';
import { mintKey } from '../../../scripts/formats/inventory-file.js';
import { bearer, call, withoutCid } from '../../fixtures/http-client.js';
import { startConsole, type Console } from '../../fixtures/test-server.js';
import { buildWorld, type World } from './fixtures/world.js';

let w: World;
let c: Console;
let operatorToken: string;
let ingestToken: string;

beforeAll(async () => {
  w = await buildWorld();
  c = await startConsole(w.store);
  operatorToken = (await createToken(w.store, 'ops-cli', 'operator', Date.now())).secret;
  ingestToken = (await createToken(w.store, 'shipper', 'ingest', Date.now())).secret;
});

afterAll(async () => {
  await c?.close();
  await w?.remove();
});

const code = async (path: string, headers: Record<string, string> = {}) => {
  const a = await call(c.url, path, { headers });
  return { status: a.status, code: a.status >= 400 ? a.json().error.code : null, a };
};

describe('customer keys', () => {
  it('no header, or a header that is not "Bearer <key>": 401 CP_UNAUTHENTICATED with a Bearer challenge', async () => {
    for (const path of [`/v1/tickets/${w.cids.acme}`, '/v1/diag/wok/alpha']) {
      for (const headers of [{} as Record<string, string>, { authorization: `Basic ${Buffer.from('alice:pw').toString('base64')}` }, { authorization: 'Bearer' }, { authorization: w.keys.acme.key }]) {
        const r = await code(path, headers);
        expect([path, headers, r.status, r.code]).toEqual([path, headers, 401, 'CP_UNAUTHENTICATED']);
        expect(r.a.headers.get('www-authenticate')).toMatch(/^Bearer /);
      }
    }
  });

  it('a Bearer value of the wrong shape (whitespace, truncation, stray characters): 401 CP_INVALID_KEY', async () => {
    const k = w.keys.acme.key;
    const shapes = [`Bearer  ${k}`, `Bearer ${k.slice(0, 35)}`, `Bearer ${k.slice(0, 20)}`, `Bearer ${k}x`, `Bearer ${k.toUpperCase().replace('SKL_', 'skl_')}`, `Bearer ${k.slice(0, 30)} ${k.slice(30)}`, 'Bearer hello'];
    for (const authorization of shapes) {
      const r = await code(`/v1/tickets/${w.cids.acme}`, { authorization });
      expect([authorization.slice(0, 40), r.status, r.code]).toEqual([authorization.slice(0, 40), 401, 'CP_INVALID_KEY']);
    }
  });

  it('a revoked or unknown skl_ key: 401 CP_UNAUTHENTICATED; sllm_ keys: CP_LLM_KEY_INVALID when unknown, refused when valid', async () => {
    expect((await code(`/v1/tickets/${w.cids.acme}`, bearer(w.keys.acmeRevoked.key))).code).toBe('CP_UNAUTHENTICATED');
    expect((await code('/v1/diag/wok/alpha', bearer(w.keys.acmeRevoked.key))).code).toBe('CP_UNAUTHENTICATED');
    expect((await code(`/v1/tickets/${w.cids.acme}`, bearer(mintKey('skl').key))).code).toBe('CP_UNAUTHENTICATED');
    // Same prefix as a real key, different rest: the digest decides.
    const forged = w.keys.acme.key.slice(0, 12) + randomBytes(28).toString('hex');
    const f = await code(`/v1/tickets/${w.cids.acme}`, bearer(forged));
    expect([f.status, f.code]).toEqual([401, 'CP_UNAUTHENTICATED']);
    expect((await code(`/v1/tickets/${w.cids.acme}`, bearer(mintKey('sllm').key))).code).toBe('CP_LLM_KEY_INVALID');
    const llm = await code(`/v1/tickets/${w.cids.acme}`, bearer(w.keys.acmeLlm.key));
    expect([llm.status, llm.code]).toEqual([401, 'CP_UNAUTHENTICATED']);
    expect(llm.a.json().error.message).toMatch(/LLM gateway/);
  });
});

describe('their own tickets only', () => {
  it("answers the org's own request, customer-safe", async () => {
    const r = await call(c.url, `/v1/tickets/${w.cids.acme}?include=stack,raw`, { headers: bearer(w.keys.acme.key) });
    expect(r.status).toBe(200);
    const t = r.json<{
      request: { org: string; wok: string; status: number; key_prefix: string };
      error: { code: string; message: string };
      remediation: { code: string; fix_side: string };
      events: Record<string, unknown>[];
      context: Record<string, unknown>[];
    }>();
    expect(t.request).toMatchObject({ org: 'acme', wok: 'alpha', status: 502, key_prefix: w.keys.acme.prefix });
    expect(t.error.code).toBe('CP_EXEC_SQL_FAILED');
    expect(t.remediation).toMatchObject({ code: 'CP_EXEC_SQL_FAILED', fix_side: 'state' });
    const sources = new Set(t.events.map((e) => e.source));
    expect(sources).toEqual(new Set(['cp', 'container', 'audit']));
    // The wok's PostgreSQL line and the functions line are theirs; the db shutdown is context.
    expect(t.events.some((e) => String(e.message).includes('does not exist'))).toBe(true);
    expect(t.context.some((e) => String(e.message).includes('fast shutdown'))).toBe(true);
    for (const e of [...t.events, ...t.context]) {
      expect(Object.keys(e).sort()).toEqual(expect.arrayContaining(['code', 'level', 'message', 'source', 'time']));
      for (const k of ['id', 'fields', 'raw', 'err', 'http', 'correlation_id']) expect(e).not.toHaveProperty(k);
      if (e.container) expect(Object.keys(e.container as object).sort()).toEqual(['lifecycle', 'role', 'stream', 'wok']);
    }
    // No internal host names, addresses, container ids or images, stacks; nothing of globex.
    const containerIds = w.store.db.prepare('SELECT DISTINCT container FROM blocks WHERE container IS NOT NULL').all() as { container: string }[];
    for (const needle of ['cp-prod-7', 'tellwang.internal', '10.0.3.7', 'postgres:16.4', 'tellwang/functions', 'wok-alpha-db', '    at ', 'globex', 'payroll', '203.0.113.9']) {
      expect([needle, r.text.includes(needle)]).toEqual([needle, false]);
    }
    for (const { container } of containerIds) expect(r.text.includes(container.slice(0, 12))).toBe(false);
  });

  it("another org's request is the same 404 as one never logged (bodies identical apart from correlation_id)", async () => {
    const other = await call(c.url, `/v1/tickets/${w.cids.globex}`, { headers: bearer(w.keys.acme.key) });
    const missing = await call(c.url, `/v1/tickets/${randomBytes(8).toString('hex')}`, { headers: bearer(w.keys.acme.key) });
    expect(other.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(other.json().error.code).toBe('DIAG_TICKET_NOT_FOUND');
    expect(withoutCid(other.text)).toBe(withoutCid(missing.text));
    expect(other.headers.get('content-type')).toBe(missing.headers.get('content-type'));
    // And the other way round: globex cannot read acme's.
    const back = await call(c.url, `/v1/tickets/${w.cids.acme}`, { headers: bearer(w.keys.globex.key) });
    expect(withoutCid(back.text)).toBe(withoutCid(missing.text));
    // Its own is fine.
    expect((await call(c.url, `/v1/tickets/${w.cids.globex}`, { headers: bearer(w.keys.globex.key) })).status).toBe(200);
  });

  it("found, another org's, or never logged: none answers before the floor, so the time does not tell them apart", async () => {
    for (const [cid, key] of [
      [w.cids.acme, w.keys.acme.key],
      [w.cids.globex, w.keys.acme.key],
      [randomBytes(8).toString('hex'), w.keys.acme.key],
    ] as const) {
      const t0 = performance.now();
      await call(c.url, `/v1/tickets/${cid}`, { headers: bearer(key) });
      expect(performance.now() - t0).toBeGreaterThanOrEqual(CUSTOMER_TICKET_FLOOR_MS - 1);
    }
  });

  it('a malformed id is a 400, as for operators', async () => {
    expect((await code('/v1/tickets/not-an-id', bearer(w.keys.acme.key))).code).toBe('DIAG_INVALID_CORRELATION_ID');
  });
});

describe('their own woks only', () => {
  it("another org's wok and a missing one: the same 404 CP_PROJECT_NOT_FOUND; a destroyed own wok: 409 CP_NOT_ACTIVE", async () => {
    const other = await call(c.url, '/v1/diag/wok/beta', { headers: bearer(w.keys.acme.key) });
    const missing = await call(c.url, '/v1/diag/wok/nosuchwok', { headers: bearer(w.keys.acme.key) });
    const malformed = await call(c.url, '/v1/diag/wok/NOT_A_WOK', { headers: bearer(w.keys.acme.key) });
    expect(other.status).toBe(404);
    expect(other.json().error.code).toBe('CP_PROJECT_NOT_FOUND');
    expect(withoutCid(other.text)).toBe(withoutCid(missing.text));
    expect(withoutCid(malformed.text)).toBe(withoutCid(missing.text));
    const gone = await call(c.url, '/v1/diag/wok/gone', { headers: bearer(w.keys.acme.key) });
    expect([gone.status, gone.json().error.code]).toEqual([409, 'CP_NOT_ACTIVE']);
    expect((await call(c.url, '/v1/diag/wok/alpha', { headers: bearer(w.keys.acme.key) })).status).toBe(200);
    expect((await call(c.url, '/v1/diag/wok/beta', { headers: bearer(w.keys.globex.key) })).status).toBe(200);
  });
});

describe('what each credential may reach', () => {
  it('customer keys and ingest tokens are refused on operator routes (403), operators reach everything', async () => {
    const operatorOnly = ['/v1/search', '/v1/unparsed', '/v1/stats', `/tickets/${w.cids.acme}`, '/unparsed', '/', '/search'];
    for (const path of operatorOnly) {
      expect([path, (await code(path, bearer(w.keys.acme.key))).code]).toEqual([path, 'DIAG_FORBIDDEN']);
      expect([path, (await code(path, bearer(ingestToken))).code]).toEqual([path, 'DIAG_FORBIDDEN']);
      expect([path, (await code(path, bearer(operatorToken))).status]).toEqual([path, 200]);
    }
    expect((await code(`/v1/tickets/${w.cids.acme}`, bearer(ingestToken))).code).toBe('DIAG_FORBIDDEN');
    const full = await call(c.url, `/v1/tickets/${w.cids.globex}?include=stack,raw`, { headers: bearer(operatorToken) });
    expect(full.status).toBe(200);
    expect(full.text).toContain('wok-beta-db');
    expect((await code('/v1/diag/wok/beta', bearer(operatorToken))).status).toBe(200);
  });

  it('a revoked console token stops working at once: 401 DIAG_UNAUTHENTICATED', async () => {
    const t = await createToken(w.store, 'short-lived', 'operator', Date.now());
    expect((await code('/v1/stats', bearer(t.secret))).status).toBe(200);
    await w.store.revokeToken('short-lived', Date.now());
    for (const path of ['/v1/stats', `/v1/tickets/${w.cids.acme}`]) {
      const r = await code(path, bearer(t.secret));
      expect([path, r.status, r.code]).toEqual([path, 401, 'DIAG_UNAUTHENTICATED']);
    }
  });

  it('/healthz and static files are public; an unknown path is closed to anonymous callers (deny by default)', async () => {
    expect((await code('/healthz')).status).toBe(200);
    expect((await code('/static/app.js')).status).toBe(200);
    expect((await code('/v1/no-such-route')).code).toBe('DIAG_UNAUTHENTICATED');
    expect((await code('/v1/no-such-route', bearer(operatorToken))).code).toBe('DIAG_ROUTE_NOT_FOUND');
  });
});
