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

    it('incidentCounts: a window that cuts minutes counts only what is inside it, each request by the start of its minute', async () => {
      const s = new StreamFixture(cpStream());
      for (const [name, at] of [['m0', 30_000], ['m1', 90_000], ['m2', 150_000], ['m2b', 170_000]] as const) {
        s.request({ cid: cid(name), time: T0 + at, status: 502, code: 'CP_EXEC_SQL_FAILED', org: 'acme', wok: 'wacme1', responseTime: 0 });
      }
      await cur.store.writeBatch({ streams: [s.batch()] });
      const cut = await cur.store.incidentCounts({ from: T0 + 45_000, to: T0 + 150_000, buckets: 2 });
      // m0 is before the window, m2b after it; m1's minute starts before the window's middle (T0 + 97.5 s), m2's after.
      expect(cut).toEqual([
        { code: 'CP_EXEC_SQL_FAILED', count: 2, orgs: 1, woks: 1, firstSeen: T0 + 90_000, lastSeen: T0 + 150_000, sampleCid: cid('m2'), buckets: [1, 1] },
      ]);
      expect((await cur.store.incidentCounts({ from: T0 + 100_000, to: T0 + 110_000, buckets: 3 }))).toEqual([]);
      expect((await cur.store.incidentCounts({ from: T0, to: T0 + 240_000, buckets: 4 }))[0]!.buckets).toEqual([1, 1, 2, 0]);
    });

    it('incidentCounts: a request whose org the inventory names later counts for that org', async () => {
      const key = 'skl_0a1b2c3d' + '9'.repeat(32);
      const s = new StreamFixture(cpStream());
      s.request({ cid: cid('keyed'), time: T0 + 1000, status: 502, code: 'CP_DB_QUERY_FAILED', key, responseTime: 0 });
      s.request({ cid: cid('named'), time: T0 + 2000, status: 502, code: 'CP_DB_QUERY_FAILED', org: 'globex', responseTime: 0 });
      await cur.store.writeBatch({ streams: [s.batch()] });
      const window = { from: T0, to: T0 + HOUR, buckets: 1 };
      expect((await cur.store.incidentCounts(window))[0]).toMatchObject({ count: 2, orgs: 1 });
      await cur.store.putInventory({ orgs: [{ slug: 'acme' }], woks: [], keys: [{ prefix: 'skl_0a1b2c3d', sha256: 'f'.repeat(64), org: 'acme', user: 'dana', kind: 'skl' }] });
      expect((await cur.store.incidentCounts(window))[0]).toMatchObject({ count: 2, orgs: 2 });
      expect(await cur.store.affectedOrgs({ ...window, codes: ['CP_DB_QUERY_FAILED'] })).toEqual([
        { org: 'acme', count: 1, firstSeen: T0 + 1000, lastSeen: T0 + 1000 },
        { org: 'globex', count: 1, firstSeen: T0 + 2000, lastSeen: T0 + 2000 },
      ]);
    });

    it('incidentCounts after a prune: what was pruned is not counted', async () => {
      await seed();
      await cur.store.prune(T0 + 2 * HOUR);
      const left = await cur.store.incidentCounts({ from: T0 - HOUR, to: T0 + 5 * HOUR, buckets: 1 });
      expect(left.map((c) => [c.code, c.count])).toEqual([
        ['CP_LLM_UPSTREAM_FAILED', 3],
        ['CP_PROJECT_NOT_FOUND', 1],
      ]);
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
