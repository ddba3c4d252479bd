/** The wok rule: operators see every wok; customers their org's; any other is the same 404; destroyed is 409. */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANONYMOUS, type Principal } from '../../src/access/principal.js';
import { wokFor } from '../../src/access/wok-access.js';
import { DiagError } from '../../src/errors/diag-error.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { storeInventory } from '../../src/store/store-inventory.js';

let dir: string;
let store: SqliteStore;
const acme: Principal = { kind: 'customer', org: 'acme', user: 'a@acme.test', keyPrefix: 'skl_12345678' };
const operator: Principal = {
  kind: 'operator',
  operator: { id: 1, email: 'o@tellwang.test', passwordHash: '', createdAt: 0, disabledAt: null },
  via: 'token',
  csrfToken: null,
  sessionIdHash: null,
};

async function failure(p: Promise<unknown>): Promise<DiagError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof DiagError) return e;
    throw e;
  }
  throw new Error('expected a DiagError');
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'tellwang-wok-access-'));
  store = new SqliteStore(path.join(dir, 'diag.sqlite'));
  await store.putInventory({
    orgs: [{ slug: 'acme' }, { slug: 'globex' }],
    woks: [
      { id: 'alpha', org: 'acme', status: 'active' },
      { id: 'gone', org: 'acme', status: 'destroyed' },
      { id: 'beta', org: 'globex', status: 'active' },
    ],
    keys: [],
  });
});

afterAll(async () => {
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('wokFor', () => {
  it('gives operators any wok, and null for one the inventory does not know', async () => {
    const inv = storeInventory(store);
    expect((await wokFor(inv, operator, 'beta'))?.org).toBe('globex');
    expect(await wokFor(inv, operator, 'nosuch')).toBeNull();
  });

  it("gives a customer their org's wok; another org's, a missing and a malformed id fail alike", async () => {
    const inv = storeInventory(store);
    expect((await wokFor(inv, acme, 'alpha'))?.id).toBe('alpha');
    const errs = await Promise.all(['beta', 'nosuch', 'Not-A-Wok', 'x'.repeat(40)].map((id) => failure(wokFor(inv, acme, id))));
    for (const e of errs) expect([e.code, e.http, e.message, e.hint]).toEqual([errs[0]!.code, 404, errs[0]!.message, errs[0]!.hint]);
    expect(errs[0]!.code).toBe('CP_PROJECT_NOT_FOUND');
  });

  it('a destroyed wok of their own is 409 CP_NOT_ACTIVE; no principal is DIAG_UNAUTHENTICATED', async () => {
    const inv = storeInventory(store);
    const gone = await failure(wokFor(inv, acme, 'gone'));
    expect([gone.code, gone.http]).toEqual(['CP_NOT_ACTIVE', 409]);
    expect((await failure(wokFor(inv, ANONYMOUS, 'alpha'))).code).toBe('DIAG_UNAUTHENTICATED');
  });
});
