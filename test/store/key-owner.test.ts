/** The key-owner rule: a live key before a revoked one, then the lowest digest, whatever order the keys come in — and SQLite's order says the same. */
import { describe, expect, it } from 'vitest';
import type { InventoryKey } from '../../src/model/inventory.js';
import { keyOwner } from '../../src/store/key-owner.js';
import { tempSqliteStore } from '../fixtures/sqlite-store.js';

const key = (sha256: string, revokedAt: number | null, org: string): InventoryKey => ({ prefix: 'skl_0a1b2c3d', sha256, org, user: 'u', kind: 'skl', revokedAt });
const keys = [key('c'.repeat(64), null, 'live-c'), key('a'.repeat(64), 5, 'revoked-a'), key('b'.repeat(64), null, 'live-b'), key('0'.repeat(64), 9, 'revoked-0')];

/** Every order of the list. */
function orders<T>(xs: T[]): T[][] {
  if (xs.length <= 1) return [xs];
  return xs.flatMap((x, i) => orders([...xs.slice(0, i), ...xs.slice(i + 1)]).map((rest) => [x, ...rest]));
}

describe('keyOwner', () => {
  it('picks the live key with the lowest digest in every order, a revoked one only when none is live, and none of nothing', () => {
    for (const o of orders(keys)) expect(keyOwner(o)?.org).toBe('live-b');
    expect(keyOwner(keys.filter((k) => k.revokedAt !== null))?.org).toBe('revoked-0');
    expect(keyOwner([])).toBeNull();
  });

  it('is the first of the keys the store lists for the prefix', async () => {
    const s = tempSqliteStore();
    try {
      await s.store.putInventory({ orgs: [], woks: [], keys: [...keys].reverse() });
      const listed = await s.store.keysByPrefix('skl_0a1b2c3d');
      expect(listed[0]).toEqual(keyOwner(keys));
    } finally {
      await s.close();
    }
  });
});
