/** The audit of lookups: insert, filter by actor and org, newest first, pagination, prune. */
import { describe, expect, it } from 'vitest';
import type { LookupEntry } from '../../../src/model/lookup.js';
import { T0 } from '../../fixtures/events.js';
import type { MakeStore } from '../contract.js';
import { useStore } from './harness.js';

function entry(over: Partial<LookupEntry>): LookupEntry {
  return { time: T0, actorKind: 'operator', actor: 'ana@example.com', org: null, kind: 'ticket', target: 'a1b2c3d4e5f60718', address: '127.0.0.1', ...over };
}

export function lookupsContract(make: MakeStore): void {
  describe('audit of lookups', () => {
    const cur = useStore(make);

    it('records lookups and lists them newest first, filtered by actor and by org', async () => {
      await cur.store.recordLookup(entry({ time: T0 }));
      await cur.store.recordLookup(entry({ time: T0 + 2, actorKind: 'customer', actor: 'skl_1a2b3c4d', org: 'acme', kind: 'reply' }));
      await cur.store.recordLookup(entry({ time: T0 + 1, actorKind: 'token', actor: 'nightly', kind: 'search', target: 'code=CP_X' }));
      const all = await cur.store.lookups({});
      expect(all.items.map((r) => r.time)).toEqual([T0 + 2, T0 + 1, T0]);
      expect(all.next).toBeNull();
      expect(all.items[0]).toEqual({ ...entry({ time: T0 + 2, actorKind: 'customer', actor: 'skl_1a2b3c4d', org: 'acme', kind: 'reply' }), id: all.items[0]!.id });
      expect((await cur.store.lookups({ actor: 'nightly' })).items.map((r) => r.kind)).toEqual(['search']);
      expect((await cur.store.lookups({ org: 'acme' })).items.map((r) => r.actor)).toEqual(['skl_1a2b3c4d']);
      expect((await cur.store.lookups({ org: 'other' })).items).toEqual([]);
    });

    it('pages newest first through equal times without repeating or skipping', async () => {
      for (let i = 0; i < 7; i++) await cur.store.recordLookup(entry({ time: T0 + Math.floor(i / 3), target: `t${i}` }));
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page: Awaited<ReturnType<typeof cur.store.lookups>> = await cur.store.lookups({ limit: 3 }, cursor);
        seen.push(...page.items.map((r) => r.target));
        cursor = page.next;
        pages++;
      } while (cursor);
      expect(pages).toBe(3);
      expect(seen).toEqual(['t6', 't5', 't4', 't3', 't2', 't1', 't0']);
    });

    it('is pruned with the events', async () => {
      await cur.store.recordLookup(entry({ time: T0 - 10, target: 'old' }));
      await cur.store.recordLookup(entry({ time: T0 + 10, target: 'new' }));
      await cur.store.prune(T0);
      expect((await cur.store.lookups({})).items.map((r) => r.target)).toEqual(['new']);
    });
  });
}
