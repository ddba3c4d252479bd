/** The imported inventory: replace-whole snapshots, key lookups by prefix, and naming callers of stored requests. */
import { describe, expect, it } from 'vitest';
import type { Inventory } from '../../../src/model/inventory.js';
import { cid, cpStream, MINUTE, platformKey, StreamFixture, T0 } from '../../fixtures/events.js';
import type { MakeStore } from '../contract.js';
import { useStore } from './harness.js';

const dana = platformKey('dana');
const ops = platformKey('ops-bot', 'sllm');
const old = platformKey('old-dana');
/** A second key minted with the same 8-hex prefix as dana's (prefixes are not unique). */
const clash = { ...platformKey('clash'), prefix: dana.prefix };

function snapshot(): Inventory {
  return {
    orgs: [{ slug: 'globex' }, { slug: 'acme' }],
    woks: [
      { id: 'wglob1', org: 'globex', status: 'active', functionsPort: 9102, createdAt: T0 - 86_400_000 },
      { id: 'wacme1', org: 'acme', status: 'active', functionsPort: null, createdAt: null },
      { id: 'wacme2', org: 'acme', status: 'destroyed' },
    ],
    keys: [
      { prefix: ops.prefix, sha256: ops.sha256, org: 'globex', user: 'ops-bot', kind: 'sllm' },
      { prefix: dana.prefix, sha256: dana.sha256, org: 'acme', user: 'dana', kind: 'skl', revokedAt: null },
      { prefix: clash.prefix, sha256: clash.sha256, org: 'initech', user: 'milton', kind: 'skl', revokedAt: T0 - 1000 },
    ],
  };
}

export function inventoryContract(make: MakeStore): void {
  describe('inventory', () => {
    const cur = useStore(make);

    it('stores a snapshot, reads it back sorted, and replaces it whole', async () => {
      expect(await cur.store.inventory()).toEqual({ orgs: [], woks: [], keys: [] });
      expect(await cur.store.putInventory(snapshot())).toEqual({ orgs: 2, woks: 3, keys: 3 });
      const inv = await cur.store.inventory();
      expect(inv.orgs).toEqual([{ slug: 'acme' }, { slug: 'globex' }]);
      expect(inv.woks).toEqual([
        { id: 'wacme1', org: 'acme', status: 'active', functionsPort: null, createdAt: null },
        { id: 'wacme2', org: 'acme', status: 'destroyed', functionsPort: null, createdAt: null },
        { id: 'wglob1', org: 'globex', status: 'active', functionsPort: 9102, createdAt: T0 - 86_400_000 },
      ]);
      expect(inv.keys.map((k) => k.user).sort()).toEqual(['dana', 'milton', 'ops-bot']);
      expect(inv.keys.map((k) => k.prefix)).toEqual([...inv.keys.map((k) => k.prefix)].sort());
      expect(await cur.store.wok('wglob1')).toEqual({ id: 'wglob1', org: 'globex', status: 'active', functionsPort: 9102, createdAt: T0 - 86_400_000 });
      expect(await cur.store.wok('wnope')).toBeNull();
      await cur.store.putInventory({ orgs: [{ slug: 'acme' }], woks: [{ id: 'wacme3', org: 'acme', status: 'provisioning' }], keys: [] });
      expect(await cur.store.inventory()).toEqual({ orgs: [{ slug: 'acme' }], woks: [{ id: 'wacme3', org: 'acme', status: 'provisioning', functionsPort: null, createdAt: null }], keys: [] });
      expect(await cur.store.wok('wglob1')).toBeNull();
      expect(await cur.store.keysByPrefix(dana.prefix)).toEqual([]);
    });

    it('keysByPrefix: every key with the prefix, live keys first', async () => {
      await cur.store.putInventory(snapshot());
      expect(await cur.store.keysByPrefix(dana.prefix)).toEqual([
        { prefix: dana.prefix, sha256: dana.sha256, org: 'acme', user: 'dana', kind: 'skl', revokedAt: null },
        { prefix: dana.prefix, sha256: clash.sha256, org: 'initech', user: 'milton', kind: 'skl', revokedAt: T0 - 1000 },
      ]);
      expect(await cur.store.keysByPrefix(ops.prefix)).toEqual([{ prefix: ops.prefix, sha256: ops.sha256, org: 'globex', user: 'ops-bot', kind: 'sllm', revokedAt: null }]);
      expect(await cur.store.keysByPrefix('skl_00000000')).toEqual([]);
    });

    it('names the caller of requests stored before the inventory, and of those stored after it', async () => {
      const s = new StreamFixture(cpStream());
      s.request({ cid: cid('before-1'), time: T0, key: dana.key, url: '/v1/woks' });
      s.request({ cid: cid('before-2'), time: T0 + 1, key: dana.key, url: '/v1/orgs/acme/keys' });
      s.request({ cid: cid('before-3'), time: T0 + 2, key: old.key, url: '/v1/woks' });
      s.request({ cid: cid('before-4'), time: T0 + 3, key: ops.key, url: '/v1/llm/chat', org: 'globex', user: 'svc-7' });
      s.request({ cid: cid('before-5'), time: T0 + 4, url: '/v1/woks' });
      await cur.store.writeBatch({ streams: [s.batch()] });
      const caller = async () => Object.fromEntries((await cur.store.search({})).items.map((r) => [r.cid, [r.org, r.user, r.keyPrefix]]));
      expect((await caller())[cid('before-1')]).toEqual([null, null, dana.prefix]);
      await cur.store.putInventory(snapshot());
      const after = await caller();
      expect(after).toEqual({
        [cid('before-1')]: ['acme', 'dana', dana.prefix],
        // The org came from the path; the user still comes from the key.
        [cid('before-2')]: ['acme', 'dana', dana.prefix],
        // A key the inventory does not know stays unnamed.
        [cid('before-3')]: [null, null, old.prefix],
        // What the line said itself is kept.
        [cid('before-4')]: ['globex', 'svc-7', ops.prefix],
        [cid('before-5')]: [null, null, null],
      });
      // Requests stored once the inventory is known are named at once.
      s.request({ cid: cid('after-1'), time: T0 + 10, key: dana.key, url: '/v1/woks' });
      s.request({ cid: cid('after-2'), time: T0 + 11, key: dana.key, url: '/v1/orgs/globex/keys' });
      await cur.store.writeBatch({ streams: [s.batch()] });
      const later = await caller();
      expect(later[cid('after-1')]).toEqual(['acme', 'dana', dana.prefix]);
      expect(later[cid('after-2')]).toEqual(['globex', 'dana', dana.prefix]);
      expect((await cur.store.search({ org: 'acme' })).items.map((r) => r.cid).sort()).toEqual([cid('before-1'), cid('before-2'), cid('after-1')].sort());
    });

    it('counts per org agree with the search after a late import: whole minutes and cut ones, totals never below failures', async () => {
      const s = new StreamFixture(cpStream());
      // Four minutes of requests by a key the inventory will name (dana: acme), one it will not (old), and none.
      for (let i = 0; i < 24; i++) {
        const key = [dana.key, old.key, undefined][i % 3];
        const failed = i % 4 === 0;
        s.request({ cid: cid(`late-${i}`), time: T0 + i * 10_000, url: '/v1/woks', responseTime: 0, ...(key ? { key } : {}), ...(failed ? { status: 502, code: 'CP_EXEC_SQL_FAILED' } : {}) });
      }
      await cur.store.writeBatch({ streams: [s.batch()] });
      await cur.store.putInventory(snapshot());
      // Written after the import: named at once.
      s.request({ cid: cid('late-after'), time: T0 + 5_000, key: dana.key, url: '/v1/woks', responseTime: 0, status: 502, code: 'CP_EXEC_SQL_FAILED' });
      await cur.store.writeBatch({ streams: [s.batch()] });
      const all = (await cur.store.search({ limit: 500 })).items;
      for (const [from, to] of [[T0, T0 + 4 * MINUTE - 1], [T0 + 15_000, T0 + 3 * MINUTE + 5_000], [T0 - MINUTE, T0 + 10 * MINUTE]] as const) {
        for (const org of ['acme', 'globex']) {
          const rows = all.filter((r) => r.org === org && r.time >= from && r.time <= to);
          const counts = await cur.store.requestCounts({ from, to, org });
          const want = { total: rows.length, failed: rows.filter((r) => r.status >= 400).length, byCode: rows.some((r) => r.code) ? { CP_EXEC_SQL_FAILED: rows.filter((r) => r.code).length } : {} };
          expect([from - T0, to - T0, org, counts]).toEqual([from - T0, to - T0, org, want]);
          expect(await cur.store.requestTotal({ from, to, org })).toBe(rows.length);
        }
      }
    });
  });
}
