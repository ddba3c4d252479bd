/** Request search with filters and keyset paging; per-code and per-window counts. */
import { describe, expect, it } from 'vitest';
import type { RequestSummary } from '../../../src/model/request.js';
import { CursorError } from '../../../src/store/cursor.js';
import type { SearchFilter, Store } from '../../../src/store/store.js';
import { cid, cpStream, MINUTE, StreamFixture, T0, type RequestInput } from '../../fixtures/events.js';
import type { MakeStore } from '../contract.js';
import { useStore } from './harness.js';

/** 30 requests over two orgs and three woks, some at the same instant; returns what was written. */
async function seed(store: Store): Promise<RequestInput[]> {
  const s = new StreamFixture(cpStream());
  const inputs: RequestInput[] = [];
  const shapes: Omit<RequestInput, 'cid' | 'time'>[] = [
    { status: 200, org: 'acme', wok: 'wacme1', url: '/v1/woks/wacme1/env' },
    { status: 404, code: 'CP_PROJECT_NOT_FOUND', org: 'acme', url: '/v1/woks/wgone99' },
    { status: 503, code: 'CP_STATUS_STALE', org: 'globex', wok: 'wglob1', url: '/v1/woks/wglob1/sql', method: 'POST' },
    { status: 200, org: 'globex', url: '/v1/orgs/globex/woks' },
    { status: 409, code: 'CP_NOT_ACTIVE', org: 'acme', wok: 'wacme2', url: '/v1/woks/wacme2/sql', method: 'POST' },
  ];
  for (let i = 0; i < 30; i++) {
    // Every third pair of requests shares its start time, to exercise the cursor's tie-break.
    const start = T0 + Math.floor(i / 2) * (i % 3 === 0 ? 1000 : 1001);
    const input: RequestInput = { ...shapes[i % shapes.length]!, cid: cid(`search-${i}`), time: start + 20, responseTime: 20 };
    inputs.push(input);
    s.request(input);
    if (i % 7 === 6) await store.writeBatch({ streams: [s.batch()] });
  }
  await store.writeBatch({ streams: [s.batch()] });
  return inputs;
}

/** Every page of a search, following cursors; checks page sizes on the way. */
async function allPages(store: Store, f: SearchFilter): Promise<RequestSummary[]> {
  const out: RequestSummary[] = [];
  let cursor: string | null = null;
  for (let guard = 0; guard < 100; guard++) {
    const page: Awaited<ReturnType<Store['search']>> = await store.search(f, cursor);
    if (page.next) expect(page.items).toHaveLength(f.limit ?? 50);
    out.push(...page.items);
    cursor = page.next;
    if (!cursor) return out;
  }
  throw new Error('paging did not end');
}

function expected(inputs: RequestInput[], keep: (r: RequestInput) => boolean): string[] {
  // Newest first; among equal start times, the later-written first.
  return inputs
    .map((r, i) => ({ r, i }))
    .filter(({ r }) => keep(r))
    .sort((a, b) => b.r.time - a.r.time || b.i - a.i)
    .map(({ r }) => r.cid);
}

export function searchContract(make: MakeStore): void {
  describe('search and counts', () => {
    const cur = useStore(make);

    it('returns request summaries as ingest derived them', async () => {
      const s = new StreamFixture(cpStream());
      s.request({ cid: cid('one'), time: T0 + 250, responseTime: 250.5, method: 'POST', url: '/v1/woks/wacme1/sql?dry=1', status: 500, code: 'CP_EXEC_FAILED', message: 'exec_sql failed', user: 'dana' });
      s.request({ cid: cid('two'), time: T0 + 1000, url: '/v1/orgs/acme/keys', responseTime: 3 });
      await cur.store.writeBatch({ streams: [s.batch()] });
      expect((await cur.store.search({})).items).toEqual([
        { cid: cid('two'), time: T0 + 997, method: 'GET', path: '/v1/orgs/acme/keys', status: 200, code: null, org: 'acme', user: null, keyPrefix: null, wok: null, durationMs: 3, message: null },
        { cid: cid('one'), time: Math.round(T0 + 250 - 250.5), method: 'POST', path: '/v1/woks/wacme1/sql?dry=1', status: 500, code: 'CP_EXEC_FAILED', org: null, user: 'dana', keyPrefix: null, wok: 'wacme1', durationMs: 250.5, message: 'exec_sql failed' },
      ]);
    });

    it('filters by code, org, wok, status, failed and the time range (inclusive)', async () => {
      const inputs = await seed(cur.store);
      const cases: [SearchFilter, (r: RequestInput) => boolean][] = [
        [{}, () => true],
        [{ code: 'CP_STATUS_STALE' }, (r) => r.code === 'CP_STATUS_STALE'],
        [{ org: 'acme' }, (r) => r.org === 'acme'],
        [{ wok: 'wgone99' }, (r) => r.url === '/v1/woks/wgone99'],
        [{ wok: 'wacme2', org: 'acme' }, (r) => r.wok === 'wacme2'],
        [{ status: 404 }, (r) => r.status === 404],
        [{ failed: true }, (r) => (r.status ?? 200) >= 400],
        [{ failed: true, org: 'globex' }, (r) => (r.status ?? 200) >= 400 && r.org === 'globex'],
        [{ from: T0 + 5005, to: T0 + 10_010 }, (r) => r.time - 20 >= T0 + 5005 && r.time - 20 <= T0 + 10_010],
        [{ from: inputs[10]!.time - 20, to: inputs[10]!.time - 20 }, (r) => r.time === inputs[10]!.time],
        [{ code: 'CP_NOPE' }, () => false],
      ];
      for (const [f, keep] of cases) {
        const got = await allPages(cur.store, { ...f, limit: 500 });
        expect(got.map((r) => r.cid), JSON.stringify(f)).toEqual(expected(inputs, keep));
      }
    });

    it('pages with a keyset cursor: no gaps, no repeats, ties on time included, through a filter', async () => {
      const inputs = await seed(cur.store);
      for (const limit of [1, 3, 7, 30]) {
        const got = await allPages(cur.store, { limit });
        expect(got.map((r) => r.cid)).toEqual(expected(inputs, () => true));
      }
      const failed = await allPages(cur.store, { limit: 4, failed: true });
      expect(failed.map((r) => r.cid)).toEqual(expected(inputs, (r) => (r.status ?? 200) >= 400));
      // Rows written after a page was handed out do not shift the next page.
      const first = await cur.store.search({ limit: 5 });
      const s = new StreamFixture(cpStream('late'));
      s.request({ cid: cid('late'), time: T0 + 10 * MINUTE });
      await cur.store.writeBatch({ streams: [s.batch()] });
      const second = await cur.store.search({ limit: 5 }, first.next);
      expect(second.items.map((r) => r.cid)).toEqual(expected(inputs, () => true).slice(5, 10));
      expect((await cur.store.search({})).items).toHaveLength(31);
    });

    it('refuses a malformed cursor', async () => {
      await seed(cur.store);
      for (const bad of ['garbage!', Buffer.from('1.2.3').toString('base64url'), Buffer.from('abc.def').toString('base64url'), 'x'.repeat(500)]) {
        await expect(cur.store.search({}, bad)).rejects.toBeInstanceOf(CursorError);
      }
    });

    it('codeCounts: per code in the window, most frequent first, with the newest time and a sample id within the filter', async () => {
      const s = new StreamFixture(cpStream());
      // globex's CP_STATUS_STALE is at the same instant as acme's newest one, and written first.
      s.request({ cid: cid('g-stale'), time: T0 + 3000, status: 503, code: 'CP_STATUS_STALE', org: 'globex', responseTime: 0 });
      s.request({ cid: cid('a-stale-1'), time: T0 + 1000, status: 503, code: 'CP_STATUS_STALE', org: 'acme', responseTime: 0 });
      s.request({ cid: cid('a-stale-2'), time: T0 + 3000, status: 503, code: 'CP_STATUS_STALE', org: 'acme', responseTime: 0 });
      s.request({ cid: cid('a-nf-1'), time: T0 + 2000, status: 404, code: 'CP_PROJECT_NOT_FOUND', org: 'acme', responseTime: 0 });
      s.request({ cid: cid('a-ok'), time: T0 + 2500, status: 200, org: 'acme', responseTime: 0 });
      s.request({ cid: cid('a-late'), time: T0 + HOUR_AFTER, status: 404, code: 'CP_PROJECT_NOT_FOUND', org: 'acme', responseTime: 0 });
      await cur.store.writeBatch({ streams: [s.batch()] });
      expect(await cur.store.codeCounts({ from: T0, to: T0 + 5000, org: 'acme' })).toEqual([
        { code: 'CP_STATUS_STALE', count: 2, lastSeen: T0 + 3000, sampleCid: cid('a-stale-2') },
        { code: 'CP_PROJECT_NOT_FOUND', count: 1, lastSeen: T0 + 2000, sampleCid: cid('a-nf-1') },
      ]);
      const all = await cur.store.codeCounts({ from: T0, to: T0 + HOUR_AFTER });
      expect(all.map((c) => [c.code, c.count, c.lastSeen])).toEqual([
        ['CP_STATUS_STALE', 3, T0 + 3000],
        ['CP_PROJECT_NOT_FOUND', 2, T0 + HOUR_AFTER],
      ]);
      // The sample is the newest request with the code; among equal times, the one written last.
      expect(all.map((c) => c.sampleCid)).toEqual([cid('a-stale-2'), cid('a-late')]);
      expect(await cur.store.codeCounts({ from: T0, to: T0 + 5000, org: 'globex' })).toEqual([{ code: 'CP_STATUS_STALE', count: 1, lastSeen: T0 + 3000, sampleCid: cid('g-stale') }]);
      expect(await cur.store.codeCounts({ from: T0, to: T0 + 5000, wok: 'wnone' })).toEqual([]);
    });

    it('requestTotal: requests in a window, of a code, a wok or an org, exact at minute edges and inside them', async () => {
      const s = new StreamFixture(cpStream());
      const shapes: Omit<RequestInput, 'cid' | 'time'>[] = [
        { status: 200, org: 'acme', wok: 'wacme1', url: '/v1/woks/wacme1/env' },
        { status: 404, code: 'CP_PROJECT_NOT_FOUND', org: 'acme', url: '/v1/woks/wgone99' },
        { status: 503, code: 'CP_STATUS_STALE', org: 'globex', wok: 'wglob1', url: '/v1/woks/wglob1/sql', method: 'POST' },
        { status: 409, code: 'CP_NOT_ACTIVE', org: 'acme', wok: 'wacme2', url: '/v1/woks/wacme2/sql', method: 'POST' },
      ];
      // Five minutes and a bit, a request every 13 s: windows below cut minutes and cover whole ones.
      const inputs: RequestInput[] = [];
      for (let i = 0; i < 25; i++) {
        const input: RequestInput = { ...shapes[(i * 3) % shapes.length]!, cid: cid(`total-${i}`), time: T0 + 7_000 + i * 13_000, responseTime: 0 };
        inputs.push(input);
        s.request(input);
        if (i % 6 === 5) await cur.store.writeBatch({ streams: [s.batch()] });
      }
      await cur.store.writeBatch({ streams: [s.batch()] });
      const wokOf = (r: RequestInput) => r.wok ?? (r.url === '/v1/woks/wgone99' ? 'wgone99' : null);
      const windows = [
        { from: T0, to: T0 + 6 * MINUTE },
        { from: T0 + MINUTE, to: T0 + 3 * MINUTE - 1 },
        { from: T0 + 30_000, to: T0 + 4 * MINUTE + 10_000 },
        { from: T0 + 20_000, to: T0 + 50_000 },
        { from: T0 + 2 * MINUTE, to: T0 + 2 * MINUTE },
      ];
      for (const w of windows) {
        for (const scope of [{}, { org: 'acme' }, { wok: 'wglob1' }, { wok: 'wgone99' }]) {
          for (const code of [undefined, 'CP_PROJECT_NOT_FOUND', 'CP_STATUS_STALE', 'CP_NOT_ACTIVE', 'CP_NEVER']) {
            const f = { ...w, ...scope, ...(code ? { code } : {}) };
            const want = inputs.filter((r) => r.time >= w.from && r.time <= w.to && (!f.org || r.org === f.org) && (!f.wok || wokOf(r) === f.wok) && (!code || r.code === code)).length;
            expect([f, await cur.store.requestTotal(f)]).toEqual([f, want]);
          }
        }
      }
    });

    it('requestCounts: totals, failures and per-code counts in a window, for a wok or an org', async () => {
      const inputs = await seed(cur.store);
      const within = (r: RequestInput, from: number, to: number) => r.time - 20 >= from && r.time - 20 <= to;
      const check = async (f: { from: number; to: number; wok?: string; org?: string }) => {
        const rows = inputs.filter((r) => within(r, f.from, f.to) && (!f.wok || (r.wok ?? (r.url === '/v1/woks/wgone99' ? 'wgone99' : null)) === f.wok) && (!f.org || r.org === f.org));
        const byCode: Record<string, number> = {};
        for (const r of rows) if (r.code) byCode[r.code] = (byCode[r.code] ?? 0) + 1;
        expect(await cur.store.requestCounts(f)).toEqual({ total: rows.length, failed: rows.filter((r) => (r.status ?? 200) >= 400).length, byCode });
      };
      await check({ from: T0, to: T0 + 60_000 });
      await check({ from: T0 + 3000, to: T0 + 9000 });
      await check({ from: T0, to: T0 + 60_000, org: 'acme' });
      await check({ from: T0, to: T0 + 60_000, wok: 'wglob1' });
      expect(await cur.store.requestCounts({ from: T0 - 10_000, to: T0 - 1 })).toEqual({ total: 0, failed: 0, byCode: {} });
    });
  });
}

const HOUR_AFTER = 60 * MINUTE;
