/** The built CLI's `search`: filters, the count, paging, JSON, terminal-safe rows, and refusals. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cid, container, cpStream, dockerStream, StreamFixture, T0 } from '../fixtures/events.js';
import { requireBuiltCli, runCli } from '../fixtures/built-cli.js';
import { tempSqliteStore, type TempSqliteStore } from '../fixtures/sqlite-store.js';

describe('tellwang-diag search', () => {
  let db: TempSqliteStore;

  beforeAll(async () => {
    requireBuiltCli();
    db = tempSqliteStore();
    const cp = new StreamFixture(cpStream());
    const fn = new StreamFixture(dockerStream(container('fn1', 'ledger', 'functions')));
    for (let i = 0; i < 6; i++) {
      const failed = i % 2 === 0;
      cp.request({ cid: cid(`cli-${i}`), time: T0 + i * 1000, org: i === 4 ? 'acme\u001b[31m' : 'acme', wok: 'ledger', method: failed ? 'POST' : 'GET', url: '/v1/woks/ledger/sql', ...(failed ? { status: 409, code: 'CP_NOT_ACTIVE' } : {}) });
    }
    fn.fn({ time: T0 + 1000, cid: cid('cli-1'), msg: 'Cold start took 900 ms' });
    await db.store.writeBatch({ streams: [cp.batch(), fn.batch()] });
    await db.closeStore();
  });

  afterAll(async () => db?.close());

  it('prints the count and one row a request, newest first, terminal-safe', async () => {
    const r = await runCli(['search', '--db', db.file, '--fix-side', 'state']);
    expect(r.code).toBe(0);
    const lines = r.out.trimEnd().split('\n');
    expect(lines[0]).toBe('3 matching requests');
    expect(lines.slice(1).map((l) => l.split('  ').at(-1))).toEqual([cid('cli-4'), cid('cli-2'), cid('cli-0')]);
    expect(lines[1]).toContain('409  CP_NOT_ACTIVE  POST /v1/woks/ledger/sql');
    expect(r.out).not.toContain('\u001b');
  });

  it('free text and --json in the shape of GET /v1/search, paged by --cursor', async () => {
    const q = await runCli(['search', '--db', db.file, '--q', 'cold START', '--json']);
    expect(q.code).toBe(0);
    expect(JSON.parse(q.out)).toMatchObject({ items: [{ correlation_id: cid('cli-1'), status: 200 }], next: null, count: 1, count_exact: true });
    const first = JSON.parse((await runCli(['search', '--db', db.file, '--method', 'get', '--limit', '2', '--json'])).out) as { next: string; items: unknown[] };
    expect(first.items).toHaveLength(2);
    const second = JSON.parse((await runCli(['search', '--db', db.file, '--method', 'get', '--limit', '2', '--cursor', first.next, '--json'])).out) as { next: string | null; items: { correlation_id: string }[] };
    expect(second).toMatchObject({ next: null, items: [{ correlation_id: cid('cli-1') }] });
  });

  it('refuses a bad option value, a foreign cursor and a missing store', async () => {
    const side = await runCli(['search', '--db', db.file, '--fix-side', 'everyone']);
    expect(side.code).toBe(2);
    expect(side.err).toBe('tellwang-diag: --fix-side is one of caller, state, platform\n');
    const cursor = await runCli(['search', '--db', db.file, '--method', 'GET', '--cursor', 'nope']);
    expect([cursor.code, cursor.err]).toEqual([2, 'tellwang-diag: --cursor: the cursor is not one this server handed out\n']);
    const missing = await runCli(['search', '--db', `${db.file}.nope`]);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('no store at');
  });
});
