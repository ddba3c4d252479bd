/** Stream leases: taking, renewing, expiry and take-over, release, one holder at a time, and writes fenced by a lease. */
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { codeOf } from '../../../src/errors/coded-error.js';
import type { LeaseFence } from '../../../src/model/lease.js';
import type { Store } from '../../../src/store/store.js';
import { cid, cpStream, StreamFixture, T0 } from '../../fixtures/events.js';
import type { MakeStore } from '../contract.js';
import { useStore } from './harness.js';

const LONG = 60_000;

async function lease(store: Store, key: string) {
  return (await store.leaseTable()).leases.find((l) => l.key === key) ?? null;
}

export function leasesContract(make: MakeStore): void {
  describe('stream leases', () => {
    const cur = useStore(make);

    it('takes free leases at epoch 1, lists them and their live holder, and renews them without a new epoch', async () => {
      const got = await cur.store.acquireLeases('a', ['k2', 'k1', 'k1'], LONG);
      expect(got).toEqual([
        { key: 'k1', holder: 'a', epoch: 1 },
        { key: 'k2', holder: 'a', epoch: 1 },
      ]);
      const t = await cur.store.leaseTable();
      expect(t.leases.map((l) => [l.key, l.holder, l.epoch])).toEqual([
        ['k1', 'a', 1],
        ['k2', 'a', 1],
      ]);
      for (const l of t.leases) expect(l.expiresInMs).toBeGreaterThan(LONG - 30_000);
      expect(t.holders.map((h) => h.holder)).toEqual(['a']);
      expect(t.holders[0]!.expiresInMs).toBeGreaterThan(LONG - 30_000);
      expect(await cur.store.acquireLeases('a', ['k1', 'k2'], LONG)).toEqual(got);
    });

    it('never gives a live lease to another holder; takes it over once expired, with a new epoch, and the old holder cannot renew it', async () => {
      await cur.store.acquireLeases('a', ['k1'], 1500);
      await cur.store.acquireLeases('a', ['k2'], LONG);
      expect(await cur.store.acquireLeases('b', ['k1', 'k2'], LONG)).toEqual([]);
      await sleep(1700);
      expect(await cur.store.acquireLeases('b', ['k1', 'k2'], LONG)).toEqual([{ key: 'k1', holder: 'b', epoch: 2 }]);
      expect(await cur.store.acquireLeases('a', ['k1', 'k2'], LONG)).toEqual([{ key: 'k2', holder: 'a', epoch: 1 }]);
      expect(await lease(cur.store, 'k1')).toMatchObject({ holder: 'b', epoch: 2 });
      // The lapsed holder is listed as no longer alive.
      const t = await cur.store.leaseTable();
      expect(t.holders.map((h) => h.holder).sort()).toEqual(['a', 'b']);
    });

    it('a released lease is free at once; releasing everything forgets the holder', async () => {
      await cur.store.acquireLeases('a', ['k1', 'k2', 'k3'], LONG);
      await cur.store.releaseLeases('a', ['k1']);
      expect((await lease(cur.store, 'k1'))!.expiresInMs).toBeLessThanOrEqual(0);
      expect(await cur.store.acquireLeases('b', ['k1', 'k2'], LONG)).toEqual([{ key: 'k1', holder: 'b', epoch: 2 }]);
      await cur.store.releaseLeases('a');
      const t = await cur.store.leaseTable();
      expect(t.holders.map((h) => h.holder)).toEqual(['b']);
      expect(t.leases.filter((l) => l.holder === 'a' && l.expiresInMs > 0)).toEqual([]);
      expect(await cur.store.acquireLeases('b', ['k2', 'k3'], LONG)).toEqual([
        { key: 'k2', holder: 'b', epoch: 2 },
        { key: 'k3', holder: 'b', epoch: 2 },
      ]);
      // Another holder's release touches nothing of b's.
      await cur.store.releaseLeases('a', ['k1']);
      expect(await lease(cur.store, 'k1')).toMatchObject({ holder: 'b', epoch: 2 });
      expect((await lease(cur.store, 'k1'))!.expiresInMs).toBeGreaterThan(0);
    });

    it('two holders racing on other connections for the same expired leases never both hold one', async () => {
      const other = await cur.reopen();
      for (let round = 0; round < 5; round++) {
        const keys = [1, 2, 3, 4].map((i) => `r${round}-${i}`);
        // Held by a third holder that stops renewing at once.
        await cur.store.acquireLeases('z', keys, 1);
        await sleep(20);
        const [x, y] = await Promise.all([cur.store.acquireLeases('x', keys, LONG), other.acquireLeases('y', [...keys].reverse(), LONG)]);
        const mine = new Set(x.map((l) => l.key));
        for (const l of y) expect(mine.has(l.key)).toBe(false);
        expect(x.length + y.length).toBe(keys.length);
        // Each holds what it was answered, at the epoch after z's, as the table says.
        const t = await cur.store.leaseTable();
        for (const l of [...x, ...y]) {
          expect(l.epoch).toBe(2);
          expect(t.leases.find((r) => r.key === l.key)).toMatchObject({ holder: l.holder, epoch: l.epoch });
        }
      }
    });

    it('a write fenced by a lease is stored while its holder has it, and refused with nothing written once another holder took it over', async () => {
      const s = new StreamFixture(cpStream('fenced'));
      const [fa] = await cur.store.acquireLeases('a', [s.key], 300);
      s.cpLine({ cid: cid('fenced-1'), time: T0, msg: 'first' });
      expect(await cur.store.writeBatch({ streams: [s.batch()], fence: fa })).toMatchObject({ events: 1 });
      const at = (await cur.store.checkpoint(s.key))!.offset;
      await sleep(500);
      const [fb] = await cur.store.acquireLeases('b', [s.key], LONG);
      expect(fb).toEqual({ key: s.key, holder: 'b', epoch: 2 });
      // a stalled past its lease and wakes up with lines read under the old one.
      s.cpLine({ cid: cid('fenced-2'), time: T0 + 1, msg: 'second' });
      const stale = s.batch();
      const err = await cur.store.writeBatch({ streams: [stale], fence: fa }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(codeOf(err)).toBe('DIAG_LEASE_LOST');
      expect((err as { fence: LeaseFence }).fence).toEqual(fa);
      expect((await cur.store.checkpoint(s.key))!.offset).toBe(at);
      expect(await cur.store.eventsByCid(cid('fenced-2'))).toEqual([]);
      // The same lines under the new holder's lease are stored; a fence naming no lease at all is refused too.
      expect(await cur.store.writeBatch({ streams: [stale], fence: fb })).toMatchObject({ events: 1 });
      expect((await cur.store.checkpoint(s.key))!.offset).toBeGreaterThan(at);
      const ghost = { key: 'no-such-stream', holder: 'b', epoch: 1 };
      expect(codeOf(await cur.store.writeBatch({ streams: [], fence: ghost }).catch((e: unknown) => e))).toBe('DIAG_LEASE_LOST');
    });
  });
}
