/** findRequests: fix side, source, method, path prefix and free text on top of search, with paging and the count. */
import { describe, expect, it } from 'vitest';
import type { RequestSummary } from '../../../src/model/request.js';
import { EVENT_SCAN_BUDGET, type RequestFilter } from '../../../src/store/search-filter.js';
import type { Store } from '../../../src/store/store.js';
import { auditStream, cid, container, cpStream, dockerStream, StreamFixture, T0 } from '../../fixtures/events.js';
import type { MakeStore } from '../contract.js';
import { useStore } from './harness.js';

/**
 * 24 requests: i%4 picks the shape; every 3rd has a functions-runtime line, every
 * 5th an audit record; request 7's runtime line says "Quota Exhausted for acme".
 */
async function seed(store: Store): Promise<void> {
  const cp = new StreamFixture(cpStream());
  const fn = new StreamFixture(dockerStream(container('fn1', 'wacme1', 'functions')));
  const au = new StreamFixture(auditStream());
  const shapes = [
    { status: 200, url: '/v1/woks/wacme1/env', method: 'GET' },
    { status: 401, code: 'CP_UNAUTHENTICATED', url: '/v1/orgs/acme/keys', method: 'GET' }, // caller
    { status: 409, code: 'CP_NOT_ACTIVE', url: '/v1/woks/wacme1/sql', method: 'POST' }, // state
    { status: 502, code: 'CP_DB_QUERY_FAILED', url: '/v1/woks/wacme1/sql', method: 'POST' }, // platform
  ];
  for (let i = 0; i < 24; i++) {
    const c = cid(`filt-${i}`);
    const t = T0 + i * 1000;
    cp.request({ ...shapes[i % 4]!, cid: c, time: t + 10, responseTime: 10, org: 'acme', wok: 'wacme1', ...(i % 6 === 0 ? { user: 'dana' } : {}) });
    if (i % 3 === 0) fn.fn({ time: t + 5, cid: c, msg: i === 7 ? 'never' : `handled ${i}` });
    if (i === 7) fn.fn({ time: t + 6, cid: c, msg: 'Quota Exhausted for acme' });
    if (i % 5 === 0) au.audit({ cid: c, time: t + 8, wok: 'wacme1' });
  }
  cp.request({ status: 500, code: 'CP_SOMETHING_NEW', cid: cid('filt-unknown'), time: T0 + 30_000, org: 'acme' });
  await store.writeBatch({ streams: [cp.batch(), fn.batch(), au.batch()] });
}

const ids = (n: number[]) => n.map((i) => cid(`filt-${i}`));
const range = (keep: (i: number) => boolean) => Array.from({ length: 24 }, (_, i) => 23 - i).filter(keep);

async function all(store: Store, f: RequestFilter): Promise<RequestSummary[]> {
  const out: RequestSummary[] = [];
  let cursor: string | null = null;
  for (let guard = 0; guard < 50; guard++) {
    const page = await store.findRequests(f, cursor);
    out.push(...page.items);
    cursor = page.next;
    if (!cursor) return out;
  }
  throw new Error('paging did not end');
}

export function searchFiltersContract(make: MakeStore): void {
  describe('search filters', () => {
    const cur = useStore(make);

    it('fix side follows the catalogue; an uncatalogued code has none', async () => {
      await seed(cur.store);
      expect((await all(cur.store, { fixSide: 'caller' })).map((r) => r.cid)).toEqual(ids(range((i) => i % 4 === 1)));
      expect((await all(cur.store, { fixSide: 'state' })).map((r) => r.cid)).toEqual(ids(range((i) => i % 4 === 2)));
      const platform = await all(cur.store, { fixSide: 'platform', limit: 2 });
      expect(platform.map((r) => r.cid)).toEqual(ids(range((i) => i % 4 === 3)));
    });

    it('method and path prefix, paged with the same results as one page', async () => {
      await seed(cur.store);
      const want = ids(range((i) => i % 4 >= 2));
      expect((await all(cur.store, { method: 'post' })).map((r) => r.cid)).toEqual(want);
      expect((await all(cur.store, { path: '/v1/woks/wacme1/s', limit: 5 })).map((r) => r.cid)).toEqual(want);
      expect(await all(cur.store, { path: '/v1/woks/wacme1/sql%' })).toEqual([]);
      expect((await all(cur.store, { path: '/v1/orgs/', method: 'GET', failed: true })).map((r) => r.cid)).toEqual(ids(range((i) => i % 4 === 1)));
    });

    it('user: the caller as logged', async () => {
      await seed(cur.store);
      expect((await all(cur.store, { user: 'dana', limit: 2 })).map((r) => r.cid)).toEqual(ids(range((i) => i % 6 === 0)));
      expect(await all(cur.store, { user: 'nobody' })).toEqual([]);
    });

    it('source: requests whose events include a container line or an audit record', async () => {
      await seed(cur.store);
      expect((await all(cur.store, { source: 'container', limit: 3 })).map((r) => r.cid)).toEqual(ids(range((i) => i % 3 === 0 || i === 7)));
      expect((await all(cur.store, { source: 'audit' })).map((r) => r.cid)).toEqual(ids(range((i) => i % 5 === 0)));
      expect(await all(cur.store, { source: 'cp' })).toHaveLength(25);
    });

    it('free text is a case-insensitive literal over the messages of every source', async () => {
      await seed(cur.store);
      expect((await all(cur.store, { q: 'quota exhausted' })).map((r) => r.cid)).toEqual(ids([7]));
      expect((await all(cur.store, { q: 'HANDLED 1' })).map((r) => r.cid)).toEqual(ids([18, 15, 12]));
      expect(await all(cur.store, { q: 'handled .' })).toEqual([]);
      expect((await all(cur.store, { q: 'request errored', fixSide: 'state' })).map((r) => r.cid)).toEqual(ids(range((i) => i % 4 === 2)));
    });

    it('counts every match from the start, whatever the page', async () => {
      await seed(cur.store);
      const first = await cur.store.findRequests({ method: 'POST', limit: 4 });
      expect(first.count).toEqual({ value: 12, exact: true });
      const second = await cur.store.findRequests({ method: 'POST', limit: 4 }, first.next);
      expect(second.count).toEqual({ value: 12, exact: true });
      expect(second.items[0]!.time).toBeLessThan(first.items[3]!.time);
      expect((await cur.store.findRequests({ failed: true })).count).toEqual({ value: 19, exact: true });
      for (const f of [{}, { org: 'acme' }, { wok: 'wacme1' }, { code: 'CP_NOT_ACTIVE' }, { failed: true, wok: 'wacme1' }, { status: 200 }, { from: T0 + 5000, to: T0 + 12_000 }] as RequestFilter[]) {
        expect((await cur.store.findRequests(f)).count, JSON.stringify(f)).toEqual({ value: (await all(cur.store, f)).length, exact: true });
      }
      expect((await cur.store.findRequests({ q: 'nothing like it' })).count).toEqual({ value: 0, exact: true });
    });

    it('free text over more requests than one call reads: the page stops short with a cursor, the count says it is a lower bound, the cursors reach every match', async () => {
      const n = EVENT_SCAN_BUDGET + EVENT_SCAN_BUDGET / 2;
      const cp = new StreamFixture(cpStream());
      const fn = new StreamFixture(dockerStream(container('budget-fn', 'wacme1', 'functions')));
      const hits: string[] = [];
      for (let i = 0; i < n; i++) {
        const c = cid(`budget-${i}`);
        cp.request({ cid: c, time: T0 + i * 10, org: 'acme', wok: 'wacme1' });
        if (i % 100 === 7) {
          fn.fn({ time: T0 + i * 10 + 2, cid: c, msg: 'Needle in the runtime' });
          hits.unshift(c);
        }
      }
      await cur.store.writeBatch({ streams: [cp.batch(), fn.batch()] });
      const first = await cur.store.findRequests({ q: 'needle', limit: 50 });
      expect(first.count.exact).toBe(false);
      expect(first.next).not.toBeNull();
      // The newest EVENT_SCAN_BUDGET requests were read: the matches among them make the first page.
      const indexOf = (c: string) => hits.length - 1 - hits.indexOf(c);
      const newest = hits.filter((c) => (indexOf(c) * 100 + 7) >= n - EVENT_SCAN_BUDGET);
      expect(first.items.map((r) => r.cid)).toEqual(newest);
      const found = [...first.items];
      for (let next = first.next, k = 0; next && k < 10; k++) {
        const page = await cur.store.findRequests({ q: 'needle', limit: 50 }, next);
        found.push(...page.items);
        next = page.next;
      }
      expect(found.map((r) => r.cid)).toEqual(hits);
    });

    it('refuses a cursor it did not hand out', async () => {
      await seed(cur.store);
      await expect(cur.store.findRequests({ method: 'GET' }, 'bogus')).rejects.toThrow(/cursor/);
    });
  });
}
