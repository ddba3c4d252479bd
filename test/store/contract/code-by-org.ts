/** The same code per org in a window: what a ticket's Related panel lists platform-wide. */
import { describe, expect, it } from 'vitest';
import { cid, cpStream, StreamFixture, T0 } from '../../fixtures/events.js';
import type { MakeStore } from '../contract.js';
import { useStore } from './harness.js';

export function codeByOrgContract(make: MakeStore): void {
  describe('codeByOrg', () => {
    const cur = useStore(make);

    it('counts one code per org in the window, most first, with first and last seen and the newest as sample', async () => {
      const s = new StreamFixture(cpStream());
      const llm = { status: 502, code: 'CP_LLM_UPSTREAM_FAILED', responseTime: 0 };
      s.request({ ...llm, cid: cid('g-1'), time: T0 + 1000, org: 'globex' });
      s.request({ ...llm, cid: cid('a-1'), time: T0 + 2000, org: 'acme' });
      s.request({ ...llm, cid: cid('g-2'), time: T0 + 3000, org: 'globex' });
      // Same instant as g-2, written after it: the sample among equal times is the one written last.
      s.request({ ...llm, cid: cid('g-3'), time: T0 + 3000, org: 'globex' });
      s.request({ ...llm, cid: cid('n-1'), time: T0 + 4000 });
      // Another code, a success, and the same code outside the window: none counts.
      s.request({ status: 404, code: 'CP_PROJECT_NOT_FOUND', cid: cid('a-nf'), time: T0 + 2500, org: 'acme', responseTime: 0 });
      s.request({ status: 200, cid: cid('a-ok'), time: T0 + 2600, org: 'acme', responseTime: 0 });
      s.request({ ...llm, cid: cid('a-late'), time: T0 + 60_000, org: 'acme' });
      await cur.store.writeBatch({ streams: [s.batch()] });

      expect(await cur.store.codeByOrg({ code: 'CP_LLM_UPSTREAM_FAILED', from: T0, to: T0 + 5000 })).toEqual([
        { org: 'globex', count: 3, firstSeen: T0 + 1000, lastSeen: T0 + 3000, sampleCid: cid('g-3') },
        { org: 'acme', count: 1, firstSeen: T0 + 2000, lastSeen: T0 + 2000, sampleCid: cid('a-1') },
        { org: null, count: 1, firstSeen: T0 + 4000, lastSeen: T0 + 4000, sampleCid: cid('n-1') },
      ]);
      // Bounds are inclusive.
      expect(await cur.store.codeByOrg({ code: 'CP_LLM_UPSTREAM_FAILED', from: T0 + 2000, to: T0 + 2000 })).toEqual([
        { org: 'acme', count: 1, firstSeen: T0 + 2000, lastSeen: T0 + 2000, sampleCid: cid('a-1') },
      ]);
      expect(await cur.store.codeByOrg({ code: 'CP_PROJECT_NOT_FOUND', from: T0, to: T0 + 5000 })).toEqual([
        { org: 'acme', count: 1, firstSeen: T0 + 2500, lastSeen: T0 + 2500, sampleCid: cid('a-nf') },
      ]);
      expect(await cur.store.codeByOrg({ code: 'CP_NONE', from: T0, to: T0 + 60_000 })).toEqual([]);
      // Windows over whole minutes (counted per minute) and minutes cut by their ends (counted per row) agree.
      const wide = [
        { org: 'globex', count: 3, firstSeen: T0 + 1000, lastSeen: T0 + 3000, sampleCid: cid('g-3') },
        { org: 'acme', count: 2, firstSeen: T0 + 2000, lastSeen: T0 + 60_000, sampleCid: cid('a-late') },
        { org: null, count: 1, firstSeen: T0 + 4000, lastSeen: T0 + 4000, sampleCid: cid('n-1') },
      ];
      for (const [from, to] of [[T0 - 30_000, T0 + 90_000], [T0, T0 + 2 * 60_000 - 1], [T0 - 1, T0 + 60_000], [T0 + 1000, T0 + 60_000]] as const) {
        expect([from - T0, to - T0, await cur.store.codeByOrg({ code: 'CP_LLM_UPSTREAM_FAILED', from, to })]).toEqual([from - T0, to - T0, wide]);
      }
    });
  });
}
