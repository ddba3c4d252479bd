/**
 * Platform keys of any length the cp mints (32 to 128 lower-case hex) sign a
 * customer in over real HTTP; anything shorter, longer, upper-case or with
 * whitespace is 401 CP_INVALID_KEY; a key cut short but still long enough is
 * an unknown key (its digest matches nothing), never another customer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MintedKey } from '../../../scripts/formats/inventory-file.js';
import { KEY_HEX_MAX, KEY_HEX_MIN } from '../../../src/access/customer-keys.js';
import { inventoryBuilder } from '../../fixtures/inventory.js';
import { bearer, call } from '../../fixtures/http-client.js';
import { tempSqliteStore, type TempSqliteStore } from '../../fixtures/sqlite-store.js';
import { startTestServer, testDeps, type TestServer } from '../../fixtures/test-server.js';

const LENGTHS = [32, 34, 48, 64, 96, 128];

let db: TempSqliteStore;
let server: TestServer;
const keys = new Map<number, MintedKey>();
let llm32: MintedKey;
let other: MintedKey;

beforeAll(async () => {
  db = tempSqliteStore();
  const inv = inventoryBuilder().wok('ledger', 'acme').wok('vault', 'globex');
  for (const n of LENGTHS) keys.set(n, inv.key('acme', `user${n}@acme.test`, 'skl', n));
  llm32 = inv.key('acme', 'user32@acme.test', 'sllm', 32);
  other = inv.key('globex', 'bob@globex.test', 'skl', 32);
  await db.store.putInventory(inv.inventory());
  server = await startTestServer(testDeps(db.store));
});

afterAll(async () => {
  await server?.close();
  await db?.close();
});

async function wok(id: string, headers: Record<string, string>) {
  const a = await call(server.url, `/v1/diag/wok/${id}`, { headers });
  return { status: a.status, code: a.status >= 400 ? a.json().error.code : null };
}

describe('platform keys of several lengths', () => {
  it('bounds are 32 and 128 hex characters', () => {
    expect([KEY_HEX_MIN, KEY_HEX_MAX]).toEqual([32, 128]);
  });

  it('a key of 32, 34, 48, 64, 96 or 128 hex signs its customer in', async () => {
    for (const n of LENGTHS) {
      const k = keys.get(n)!;
      expect(k.key).toHaveLength(4 + n);
      expect([n, await wok('ledger', bearer(k.key))]).toEqual([n, { status: 200, code: null }]);
      // Still scoped to the key's own org.
      expect([n, await wok('vault', bearer(k.key))]).toEqual([n, { status: 404, code: 'CP_PROJECT_NOT_FOUND' }]);
    }
    expect(await wok('vault', bearer(other.key))).toEqual({ status: 200, code: null });
  });

  it('an sllm_ key of 32 hex is recognised as an LLM key (refused as one), not as the wrong shape', async () => {
    const a = await call(server.url, '/v1/diag/wok/ledger', { headers: bearer(llm32.key) });
    expect(a.status).toBe(401);
    expect(a.json().error.message).toMatch(/LLM gateway/);
  });

  it('31 or 129 hex, upper-case hex, whitespace or stray characters: 401 CP_INVALID_KEY', async () => {
    const k64 = keys.get(64)!.key;
    const k32 = keys.get(32)!.key;
    const k128 = keys.get(128)!.key;
    const bad = [
      `skl_${'a'.repeat(31)}`,
      `skl_${'a'.repeat(129)}`,
      k32.slice(0, -1),
      `${k128}0`,
      `sllm_${'b'.repeat(31)}`,
      `skl_${k64.slice(4).toUpperCase()}`,
      `SKL_${k64.slice(4)}`,
      `${k64.slice(0, 20)} ${k64.slice(20)}`,
      `${k32}\u00a0`,
      `${k64.slice(0, 30)}g${k64.slice(31)}`,
      'skl_',
    ];
    for (const v of bad) expect([v.length, await wok('ledger', bearer(v))]).toEqual([v.length, { status: 401, code: 'CP_INVALID_KEY' }]);
    // (Whitespace at either end of a header value is HTTP's to trim: the server never sees it.)
    for (const authorization of [`Bearer  ${k32}`, `Bearer\t${k32}`, `Bearer ${k32.slice(0, 20)} ${k32.slice(20)}`]) {
      expect([JSON.stringify(authorization), await wok('ledger', { authorization })]).toEqual([JSON.stringify(authorization), { status: 401, code: 'CP_INVALID_KEY' }]);
    }
    const a = await call(server.url, '/v1/diag/wok/ledger', { headers: bearer(`skl_${'a'.repeat(31)}`) });
    expect(a.json().error.message).toContain('32 to 128 lower-case hex');
  });

  it('a key truncated to a length still in bounds is an unknown key (CP_UNAUTHENTICATED), never someone else', async () => {
    const k64 = keys.get(64)!.key;
    for (const cut of [k64.slice(0, -1), k64.slice(0, 4 + 48), k64.slice(0, 4 + 32)]) {
      expect([cut.length, await wok('ledger', bearer(cut))]).toEqual([cut.length, { status: 401, code: 'CP_UNAUTHENTICATED' }]);
    }
    // A 128-hex key cut to 64 hex is a 64-hex key nobody holds.
    expect(await wok('ledger', bearer(keys.get(128)!.key.slice(0, 4 + 64)))).toEqual({ status: 401, code: 'CP_UNAUTHENTICATED' });
  });
});
