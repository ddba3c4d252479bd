/** Per-code incident counts with buckets, and the orgs a set of codes hit: what /incidents, /catalog and /diag read. */
import { describe, expect, it } from 'vitest';
import { cid, cpStream, StreamFixture, T0 } from '../../fixtures/events.js';
import type { MakeStore } from '../contract.js';
import { useStore } from './harness.js';

const HOUR = 3_600_000;

export function incidentsContract(make: MakeStore): void {
  describe('incidents', () => {
    const cur = useStore(make);

    async function seed(): Promise<void> {
      const s = new StreamFixture(cpStream());
      const r = (name: string, time: number, code: string | null, org?: string, wok?: string, status = 502) =>
        s.request({ cid: cid(name), time, status: code ? status : 200, ...(code ? { code } : {}), ...(org ? { org } : {}), ...(wok ? { wok } : {}), responseTime: 0 });
      // A platform outage over three orgs and four woks, in the first and the last of four hours.
      r('llm-1', T0, 'CP_LLM_UPSTREAM_FAILED', 'acme', 'wacme1');
      r('llm-2', T0 + 10 * 60_000, 'CP_LLM_UPSTREAM_FAILED', 'acme', 'wacme2');
      r('llm-3', T0 + 3 * HOUR + 1, 'CP_LLM_UPSTREAM_FAILED', 'globex', 'wglob1');
      r('llm-4', T0 + 4 * HOUR, 'CP_LLM_UPSTREAM_FAILED', 'initech', 'winit1');
      r('llm-5', T0 + 4 * HOUR, 'CP_LLM_UPSTREAM_FAILED'); // no org, no wok: counted, not an org
      // A caller mistake of one org, twice in the second hour.
      r('nf-1', T0 + HOUR, 'CP_PROJECT_NOT_FOUND', 'acme', undefined, 404);
      r('nf-2', T0 + HOUR + 5, 'CP_PROJECT_NOT_FOUND', 'acme', undefined, 404);
      r('ok', T0 + 2 * HOUR, null, 'acme', 'wacme1');
      // Outside the window on both sides.
      r('early', T0 - 1, 'CP_PROJECT_NOT_FOUND', 'globex', undefined, 404);
      r('late', T0 + 4 * HOUR + 1, 'CP_PROJECT_NOT_FOUND', 'globex', undefined, 404);
      await cur.store.writeBatch({ streams: [s.batch()] });
    }

    it('incidentCounts: count, distinct orgs and woks, first and last seen, newest sample and equal buckets per code', async () => {
      await seed();
      expect(await cur.store.incidentCounts({ from: T0, to: T0 + 4 * HOUR, buckets: 4 })).toEqual([
        {
          code: 'CP_LLM_UPSTREAM_FAILED',
          count: 5,
          orgs: 3,
          woks: 4,
          firstSeen: T0,
          lastSeen: T0 + 4 * HOUR,
          // llm-4 and llm-5 share the newest time: the one written last is the sample.
          sampleCid: cid('llm-5'),
          // `to` itself falls in the last bucket.
          buckets: [2, 0, 0, 3],
        },
        { code: 'CP_PROJECT_NOT_FOUND', count: 2, orgs: 1, woks: 0, firstSeen: T0 + HOUR, lastSeen: T0 + HOUR + 5, sampleCid: cid('nf-2'), buckets: [0, 2, 0, 0] },
      ]);
    });

    it('incidentCounts: one bucket, a narrow window and an empty one', async () => {
      await seed();
      const wide = await cur.store.incidentCounts({ from: T0 - 1, to: T0 + 4 * HOUR + 1, buckets: 1 });
      expect(wide.map((c) => [c.code, c.count, c.orgs, c.buckets])).toEqual([
        ['CP_LLM_UPSTREAM_FAILED', 5, 3, [5]],
        ['CP_PROJECT_NOT_FOUND', 4, 2, [4]],
      ]);
      const narrow = await cur.store.incidentCounts({ from: T0 + HOUR, to: T0 + 2 * HOUR, buckets: 24 });
      expect(narrow).toHaveLength(1);
      expect(narrow[0]!.buckets).toEqual([2, ...new Array(23).fill(0)]);
      expect(await cur.store.incidentCounts({ from: T0 + 5 * HOUR, to: T0 + 6 * HOUR, buckets: 24 })).toEqual([]);
    });

    it('affectedOrgs: per org the requests with the codes, most first, first and last seen; none for no codes', async () => {
      await seed();
      expect(await cur.store.affectedOrgs({ from: T0, to: T0 + 4 * HOUR, codes: ['CP_LLM_UPSTREAM_FAILED', 'CP_PROJECT_NOT_FOUND'] })).toEqual([
        { org: 'acme', count: 4, firstSeen: T0, lastSeen: T0 + HOUR + 5 },
        { org: 'globex', count: 1, firstSeen: T0 + 3 * HOUR + 1, lastSeen: T0 + 3 * HOUR + 1 },
        { org: 'initech', count: 1, firstSeen: T0 + 4 * HOUR, lastSeen: T0 + 4 * HOUR },
      ]);
      expect(await cur.store.affectedOrgs({ from: T0 - 1, to: T0 + 5 * HOUR, codes: ['CP_PROJECT_NOT_FOUND'], limit: 1 })).toEqual([
        { org: 'acme', count: 2, firstSeen: T0 + HOUR, lastSeen: T0 + HOUR + 5 },
      ]);
      expect(await cur.store.affectedOrgs({ from: T0, to: T0 + 4 * HOUR, codes: [] })).toEqual([]);
    });
  });
}
