/** Passwords, console tokens, sessions and platform keys against a real SQLite store in a temp dir. */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintKey } from '../../scripts/formats/inventory-file.js';
import { createToken, TOKEN_SHAPE, tokenFor } from '../../src/access/api-tokens.js';
import { checkPlatformKey } from '../../src/access/customer-keys.js';
import { digestMatches, sameSecret, sha256, sha256Hex } from '../../src/access/digest.js';
import { addOperator, OperatorError } from '../../src/access/operators.js';
import { hashPassword, passwordProblem, verifyPassword } from '../../src/access/passwords.js';
import { endSession, sessionFor, startSession } from '../../src/access/sessions.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { storeInventory } from '../../src/store/store-inventory.js';

let dir: string;
let store: SqliteStore;

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'tellwang-credentials-'));
  store = new SqliteStore(path.join(dir, 'diag.sqlite'));
});

afterAll(async () => {
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('passwords', () => {
  it('argon2id hashes that verify the password and nothing else', async () => {
    const h = await hashPassword('correct horse battery');
    expect(h).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(h, 'correct horse battery')).toBe(true);
    expect(await verifyPassword(h, 'correct horse batterY')).toBe(false);
    expect(await verifyPassword('not a hash', 'correct horse battery')).toBe(false);
    // No operator: checked against a decoy, still false.
    expect(await verifyPassword(null, 'correct horse battery')).toBe(false);
  });

  it('refuses short, padded and absurdly long passwords', () => {
    expect(passwordProblem('short')).toMatch(/at least 12/);
    expect(passwordProblem(' padded password ')).toMatch(/whitespace/);
    expect(passwordProblem('x'.repeat(2000))).toMatch(/at most/);
    expect(passwordProblem('a fine passphrase')).toBeNull();
  });

  it('operators are unique by email, whatever the case', async () => {
    await addOperator(store, 'Ops@Example.test', 'a fine passphrase');
    await expect(addOperator(store, 'ops@example.TEST', 'a fine passphrase')).rejects.toBeInstanceOf(OperatorError);
    await expect(addOperator(store, 'not-an-email', 'a fine passphrase')).rejects.toThrow(/not an email/);
  });
});

describe('digests', () => {
  it('compares in constant time without throwing on odd stored values', () => {
    const d = sha256('x');
    expect(digestMatches(sha256Hex('x'), d)).toBe(true);
    expect(digestMatches(sha256Hex('y'), d)).toBe(false);
    expect(digestMatches('abc', d)).toBe(false);
    expect(digestMatches('', d)).toBe(false);
    expect(digestMatches('z'.repeat(64), d)).toBe(false);
    expect(digestMatches(sha256Hex('x'), Buffer.alloc(5))).toBe(false);
    expect(sameSecret('a', 'a much longer value')).toBe(false);
    expect(sameSecret('same', 'same')).toBe(true);
  });
});

describe('console tokens', () => {
  it('are sdo_ + 43 base64url characters, stored only as sha256, refused once revoked', async () => {
    const { token, secret } = await createToken(store, 'ci', 'operator', 1000);
    expect(secret).toMatch(TOKEN_SHAPE);
    expect(token.hash).toBe(sha256Hex(secret));
    expect(readFileSync(path.join(dir, 'diag.sqlite')).includes(secret)).toBe(false);
    expect((await tokenFor(store, secret, 2000))?.name).toBe('ci');
    expect((await store.listTokens()).find((t) => t.name === 'ci')?.lastUsedAt).toBe(2000);
    expect(await tokenFor(store, secret.slice(0, -1), 2000)).toBeNull();
    expect(await tokenFor(store, `sdo_${randomBytes(32).toString('base64url')}`, 2000)).toBeNull();
    await store.revokeToken('ci', 3000);
    expect(await tokenFor(store, secret, 4000)).toBeNull();
  });

  it('refuse bad names and scopes, and a second live token of one name', async () => {
    await expect(createToken(store, 'bad name', 'operator', 1)).rejects.toThrow(/token name/);
    await expect(createToken(store, 'ok', 'root' as never, 1)).rejects.toThrow(/scope/);
    await createToken(store, 'twice', 'ingest', 1);
    await expect(createToken(store, 'twice', 'ingest', 1)).rejects.toThrow(/exists/);
  });
});

describe('sessions', () => {
  it('live until they expire or end; the cookie value is never stored', async () => {
    const op = (await store.operatorByEmail('ops@example.test'))!;
    const s = await startSession(store, op, 10_000, 1000);
    expect(s.session.idHash).toBe(sha256Hex(s.id));
    expect((await sessionFor(store, s.id, 10_500))?.operator.email).toBe('Ops@Example.test');
    expect(await sessionFor(store, s.id, 11_000)).toBeNull();
    const t = await startSession(store, op, 10_000, 1000);
    await endSession(store, t.session.idHash);
    expect(await sessionFor(store, t.id, 10_100)).toBeNull();
    expect(await sessionFor(store, 'not-a-session-id', 10_100)).toBeNull();
  });
});

describe('platform keys', () => {
  it('match by prefix and digest; revoked and unknown keys fail; a shared prefix is told apart by the digest', async () => {
    const same = randomBytes(4);
    const a = mintKey('skl', () => Buffer.concat([same, randomBytes(28)]));
    const b = mintKey('skl', () => Buffer.concat([same, randomBytes(28)]));
    const r = mintKey('skl');
    const llm = mintKey('sllm');
    expect(a.prefix).toBe(b.prefix);
    await store.putInventory({
      orgs: [{ slug: 'acme' }, { slug: 'globex' }],
      woks: [],
      keys: [
        { prefix: a.prefix, sha256: a.sha256, org: 'acme', user: 'a@acme.test', kind: 'skl' },
        { prefix: b.prefix, sha256: b.sha256, org: 'globex', user: 'b@globex.test', kind: 'skl' },
        { prefix: r.prefix, sha256: r.sha256, org: 'acme', user: 'r@acme.test', kind: 'skl', revokedAt: 5 },
        { prefix: llm.prefix, sha256: llm.sha256, org: 'acme', user: 'a@acme.test', kind: 'sllm' },
        { prefix: 'skl_00000000', sha256: 'not hex at all', org: 'acme', user: 'x', kind: 'skl' },
      ],
    });
    const inv = storeInventory(store);
    expect(await checkPlatformKey(inv, a.key)).toMatchObject({ ok: true, key: { org: 'acme' } });
    expect(await checkPlatformKey(inv, b.key)).toMatchObject({ ok: true, key: { org: 'globex' } });
    expect(await checkPlatformKey(inv, r.key)).toEqual({ ok: false, kind: 'skl', prefix: r.prefix, reason: 'revoked' });
    expect(await checkPlatformKey(inv, mintKey('skl').key)).toMatchObject({ ok: false, reason: 'unknown' });
    expect(await checkPlatformKey(inv, `skl_00000000${'1'.repeat(56)}`)).toMatchObject({ ok: false, reason: 'unknown' });
    expect(await checkPlatformKey(inv, llm.key)).toMatchObject({ ok: true, key: { kind: 'sllm' } });
  });
});
