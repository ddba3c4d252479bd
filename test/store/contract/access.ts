/** Operators, sessions and API tokens. */
import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Session } from '../../../src/model/access.js';
import { T0 } from '../../fixtures/events.js';
import type { MakeStore } from '../contract.js';
import { useStore } from './harness.js';

const ARGON = '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$0123456789abcdefghijklmnopqrstuvwxyzABCDE';

function sha(): string {
  return createHash('sha256').update(randomBytes(32)).digest('hex');
}

function session(operatorId: number, expiresAt: number): Session {
  return { idHash: sha(), operatorId, csrfToken: randomBytes(16).toString('base64url'), createdAt: T0, expiresAt };
}

export function accessContract(make: MakeStore): void {
  describe('operators, sessions and tokens', () => {
    const cur = useStore(make);

    it('limiters: count per key within the window, kept in the store (another connection sees them), reset per key, apart per name', async () => {
      const spec = { name: 'login-account', points: 3, windowSeconds: 900 };
      const a = cur.store.limiter(spec);
      expect(await a.get('zoe@tellwang.dev')).toBeNull();
      for (let i = 0; i < 4; i++) await a.hit('zoe@tellwang.dev');
      await a.hit('al@tellwang.dev');
      const zoe = await a.get('zoe@tellwang.dev');
      expect(zoe?.count).toBe(4);
      expect(zoe!.msBeforeNext).toBeGreaterThan(0);
      expect(zoe!.msBeforeNext).toBeLessThanOrEqual(900_000);
      // Another connection (a restarted server, a second process) sees the same counts.
      const other = (await cur.reopen()).limiter(spec);
      expect((await other.get('zoe@tellwang.dev'))?.count).toBe(4);
      await other.hit('zoe@tellwang.dev');
      expect((await a.get('zoe@tellwang.dev'))?.count).toBe(5);
      // Another name counts apart; a reset clears one key only.
      expect(await cur.store.limiter({ ...spec, name: 'login-address' }).get('zoe@tellwang.dev')).toBeNull();
      await a.reset('zoe@tellwang.dev');
      expect(await a.get('zoe@tellwang.dev')).toBeNull();
      expect((await a.get('al@tellwang.dev'))?.count).toBe(1);
    });

    it('limiters: a hit answers the count after it (atomically, under concurrency); reward takes one back; set starts a fresh window', async () => {
      const a = cur.store.limiter({ name: 'login-pair', points: 3, windowSeconds: 600 });
      const counts = await Promise.all(Array.from({ length: 8 }, () => a.hit('k')));
      expect(counts.map((c) => c.count).sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      for (const c of counts) expect(c.msBeforeNext).toBeGreaterThan(0);
      await a.reward('k');
      expect((await a.get('k'))?.count).toBe(7);
      // A reward never opens a window for a key that has none.
      await a.reward('fresh');
      expect(await a.get('fresh')).toBeNull();
      const known = cur.store.limiter({ name: 'login-known', points: 1, windowSeconds: 3600 });
      await known.set('k', 1);
      await known.set('k', 1);
      const k = await known.get('k');
      expect(k?.count).toBe(1);
      expect(k!.msBeforeNext).toBeGreaterThan(3_500_000);
      expect(k!.msBeforeNext).toBeLessThanOrEqual(3_600_000);
      expect((await (await cur.reopen()).limiter({ name: 'login-known', points: 1, windowSeconds: 3600 }).get('k'))?.count).toBe(1);
    });

    it('operators: added, found by id and by email in any case, listed, unique by email in any case', async () => {
      const before = Date.now();
      const zoe = await cur.store.addOperator('zoe@tellwang.dev', ARGON);
      const al = await cur.store.addOperator('Al@TellWang.dev', ARGON + 'x');
      expect(zoe).toEqual({ id: zoe.id, email: 'zoe@tellwang.dev', passwordHash: ARGON, createdAt: zoe.createdAt, disabledAt: null });
      expect(zoe.createdAt).toBeGreaterThanOrEqual(before);
      expect(al.id).not.toBe(zoe.id);
      expect(await cur.store.operatorById(zoe.id)).toEqual(zoe);
      expect(await cur.store.operatorByEmail('ZOE@tellwang.dev')).toEqual(zoe);
      expect(await cur.store.operatorByEmail('al@tellwang.dev')).toEqual(al);
      expect(await cur.store.operatorByEmail('nobody@tellwang.dev')).toBeNull();
      expect(await cur.store.operatorById(987_654)).toBeNull();
      expect((await cur.store.listOperators()).map((o) => o.email)).toEqual(['Al@TellWang.dev', 'zoe@tellwang.dev']);
      await expect(cur.store.addOperator('ZOE@TELLWANG.DEV', ARGON)).rejects.toThrow();
      expect(await cur.store.listOperators()).toHaveLength(2);
    });

    it('sessions: live until they expire; gone when deleted, when the operator is disabled or changes password', async () => {
      const op = await cur.store.addOperator('zoe@tellwang.dev', ARGON);
      const other = await cur.store.addOperator('al@tellwang.dev', ARGON);
      const s1 = session(op.id, T0 + 1000);
      const s2 = session(op.id, T0 + 5000);
      const s3 = session(other.id, T0 + 5000);
      for (const s of [s1, s2, s3]) await cur.store.createSession(s);
      expect(await cur.store.session(s1.idHash, T0 + 999)).toEqual({ session: s1, operator: op });
      expect(await cur.store.session(s1.idHash, T0 + 1000)).toBeNull();
      expect(await cur.store.session(sha(), T0)).toBeNull();
      await cur.store.deleteSession(s2.idHash);
      expect(await cur.store.session(s2.idHash, T0)).toBeNull();

      const s4 = session(op.id, T0 + 5000);
      await cur.store.createSession(s4);
      expect(await cur.store.setOperatorDisabled('ZOE@tellwang.dev', true)).toBe(true);
      expect(await cur.store.session(s4.idHash, T0)).toBeNull();
      expect((await cur.store.operatorById(op.id))?.disabledAt).toEqual(expect.any(Number));
      // A session created while disabled is not live either.
      const s5 = session(op.id, T0 + 5000);
      await cur.store.createSession(s5);
      expect(await cur.store.session(s5.idHash, T0)).toBeNull();
      expect(await cur.store.setOperatorDisabled('zoe@tellwang.dev', false)).toBe(true);
      expect((await cur.store.operatorById(op.id))?.disabledAt).toBeNull();
      expect(await cur.store.session(s5.idHash, T0)).toMatchObject({ session: s5 });
      expect(await cur.store.setOperatorDisabled('ghost@tellwang.dev', true)).toBe(false);

      expect(await cur.store.setOperatorPassword('zoe@tellwang.dev', ARGON + 'new')).toBe(true);
      expect((await cur.store.operatorByEmail('zoe@tellwang.dev'))?.passwordHash).toBe(ARGON + 'new');
      expect(await cur.store.session(s5.idHash, T0)).toBeNull();
      expect(await cur.store.setOperatorPassword('ghost@tellwang.dev', ARGON)).toBe(false);

      const s6 = session(other.id, T0 + 5000);
      await cur.store.createSession(s6);
      await cur.store.deleteSessionsOf(other.id);
      expect(await cur.store.session(s3.idHash, T0)).toBeNull();
      expect(await cur.store.session(s6.idHash, T0)).toBeNull();
    });

    it('tokens: created, found by hash, listed, revoked once, touched; a live name is unique', async () => {
      const h1 = sha();
      const t1 = await cur.store.createToken({ name: 'shipper-1', scope: 'ingest', hash: h1, createdAt: T0 });
      expect(t1).toEqual({ id: t1.id, name: 'shipper-1', scope: 'ingest', hash: h1, createdAt: T0, revokedAt: null, lastUsedAt: null });
      const t2 = await cur.store.createToken({ name: 'oncall', scope: 'operator', hash: sha(), createdAt: T0 + 1 });
      expect(await cur.store.tokenByHash(h1)).toEqual(t1);
      expect(await cur.store.tokenByHash(sha())).toBeNull();
      await expect(cur.store.createToken({ name: 'shipper-1', scope: 'ingest', hash: sha(), createdAt: T0 + 2 })).rejects.toThrow();
      await expect(cur.store.createToken({ name: 'other', scope: 'ingest', hash: h1, createdAt: T0 + 2 })).rejects.toThrow();

      await cur.store.touchToken(t1.id, T0 + 50);
      expect((await cur.store.tokenByHash(h1))?.lastUsedAt).toBe(T0 + 50);

      expect(await cur.store.revokeToken('shipper-1', T0 + 100)).toBe(true);
      expect(await cur.store.revokeToken('shipper-1', T0 + 200)).toBe(false);
      expect(await cur.store.revokeToken('never', T0 + 200)).toBe(false);
      expect(await cur.store.tokenByHash(h1)).toMatchObject({ revokedAt: T0 + 100, lastUsedAt: T0 + 50 });
      // Once revoked, the name may be used again.
      const t3 = await cur.store.createToken({ name: 'shipper-1', scope: 'ingest', hash: sha(), createdAt: T0 + 300 });
      expect((await cur.store.listTokens()).map((t) => [t.id, t.revokedAt])).toEqual([
        [t1.id, T0 + 100],
        [t2.id, null],
        [t3.id, null],
      ]);
    });
  });
}
