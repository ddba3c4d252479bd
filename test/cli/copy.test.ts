/**
 * `tellwang-diag copy` from the built CLI: the demo corpus (as `npm start`
 * builds it: generated, ingested, the inventory imported, health history
 * replayed from its logs, an operator, tokens, lookups) in a SQLite file,
 * copied into a scratch schema of the machine's PostgreSQL; then every
 * request's ticket over HTTP, three by `ticket --json`, stats, unparsed lines,
 * operators and tokens (a token made on the source signs in on the target),
 * health history and lookups are the same on both. A copy `kill -9`-ed
 * mid-way and run again ends the same, nothing doubled. Bad --from / --to
 * get their coded one-line errors.
 */
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemo, type DemoSummary } from '../../scripts/demo/generate-demo.js';
import { catalog } from '../../src/catalog/catalog.js';
import { replayHistory } from '../../src/diag/replay.js';
import { DEFAULT_REDACTOR } from '../../src/redact/redactor.js';
import { openStore } from '../../src/store/open-store.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { storeInventory } from '../../src/store/store-inventory.js';
import type { Store } from '../../src/store/store.js';
import { CLI, requireBuiltCli, runCli, startServe } from '../fixtures/built-cli.js';
import { tempDir, type TempDir } from '../fixtures/temp-dir.js';
import { dropSchema, PG_URL, scratchSchemaName } from '../store/pg-scratch.js';

const HOUR = 3_600_000;
const schemas = { full: scratchSchemaName('copy'), resumed: scratchSchemaName('copy_resume') };
const pgTarget = (schema: string) => `${PG_URL}?schema=${schema}`;

let tmp: TempDir;
let demo: DemoSummary;
let src: string;
let token: string;
let cids: string[];

async function cli(args: string[], input?: string) {
  const r = await runCli(args, { ...(input === undefined ? {} : { input }), timeoutMs: 120_000 });
  if (r.code !== 0) throw new Error(`${args.join(' ')} exited ${r.code}: ${r.err}`);
  return r;
}

/** JSON with every `updated_at` left out: when a stream's row was last written is the one thing a copy cannot keep. */
function withoutUpdatedAt(text: string): unknown {
  return JSON.parse(text, (k, v: unknown) => (k === 'updated_at' ? undefined : v));
}

/** What `serve` on `target` answers for each id's ticket, as text, with the token made on the source. */
async function ticketsOver(target: string, ids: readonly string[]): Promise<Map<string, string>> {
  const s = await startServe(['--db', target], { env: { DIAG_CHECK_INTERVAL_MS: '0' } });
  try {
    const out = new Map<string, string>();
    for (const id of ids) {
      const r = await fetch(`${s.url}/v1/tickets/${id}`, { headers: { authorization: `Bearer ${token}` } });
      out.set(id, `${r.status} ${await r.text()}`);
    }
    return out;
  } finally {
    await s.stop();
  }
}

/** Everything a store holds that is not derived from its lines, as read through the Store. */
async function records(store: Store) {
  return {
    inventory: await store.inventory(),
    operators: (await store.listOperators()).map(({ id: _id, ...o }) => o),
    tokens: (await store.listTokens()).map(({ id: _id, ...t }) => t),
    checks: await store.checkHistory({ from: 0, to: Number.MAX_SAFE_INTEGER }),
    lookups: (await store.lookups({ limit: 500 })).items.map(({ id: _id, ...l }) => l),
  };
}

async function withStores<T>(target: string, fn: (a: Store, b: Store) => Promise<T>): Promise<T> {
  const a = await openStore(src, { readonly: true, redactor: DEFAULT_REDACTOR });
  const b = await openStore(target, { redactor: DEFAULT_REDACTOR });
  try {
    return await fn(a, b);
  } finally {
    await a.close();
    await b.close();
  }
}

async function pgCount(schema: string, sql: string): Promise<number> {
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  try {
    return Number((await c.query<{ n: string }>(sql.replaceAll('$S', `"${schema}"`))).rows[0]!.n);
  } catch {
    return 0;
  } finally {
    await c.end();
  }
}

/** Stats, unparsed lines and records of the source and of `target` are the same; ticket JSON of every id too. */
async function expectSameAsSource(target: string): Promise<void> {
  const [a, b] = await Promise.all([cli(['stats', '--db', src, '--json']), cli(['stats', '--db', target, '--json'])]);
  expect(withoutUpdatedAt(b.out)).toEqual(withoutUpdatedAt(a.out));
  const [ua, ub] = await Promise.all([cli(['unparsed', '--db', src, '--json', '--limit', '1000']), cli(['unparsed', '--db', target, '--json', '--limit', '1000'])]);
  // In stream and offset order (each store lists them newest stored first, and a copy stores them in another order).
  const lines = (t: string) =>
    (JSON.parse(t) as { items: { stream: string; offset: number }[] }).items.sort((x, y) => x.stream.localeCompare(y.stream) || x.offset - y.offset);
  expect(lines(ub.out)).toEqual(lines(ua.out));
  expect(lines(ua.out).length).toBeGreaterThan(0);
  await withStores(target, async (x, y) => expect(await records(y)).toEqual(await records(x)));
  const [ta, tb] = [await ticketsOver(src, cids), await ticketsOver(target, cids)];
  for (const id of cids) expect(tb.get(id), id).toBe(ta.get(id));
  expect([...ta.values()].every((t) => t.startsWith('200 {'))).toBe(true);
}

beforeAll(async () => {
  requireBuiltCli();
  tmp = tempDir('tellwang-copy-');
  src = tmp.file('diag.sqlite');
  const now = Date.now();
  demo = await generateDemo({ dir: tmp.file('demo'), now });
  await cli(['ingest', '--db', src, '--final', ...demo.logPaths]);
  await cli(['inventory', '--db', src, demo.inventoryPath]);
  await cli(['operators', 'add', '--db', src, 'ana@example.com'], 'correct horse battery staple\n');
  token = /sdo_[A-Za-z0-9_-]{43}/.exec((await cli(['tokens', 'create', '--db', src, '--name', 'ci'])).out)![0];
  await cli(['tokens', 'create', '--db', src, '--name', 'old', '--scope', 'ingest']);
  await cli(['tokens', 'revoke', '--db', src, 'old']);
  const store = new SqliteStore(src);
  try {
    // As npm start does: the health history of the demo's last hour, rebuilt from its logs.
    expect(await replayHistory({ store, inventory: storeInventory(store), catalog, from: now - HOUR, to: now })).toBeGreaterThan(0);
    await store.recordLookup({ time: now - 5_000, actorKind: 'operator', actor: 'ana@example.com', org: null, kind: 'ticket', target: demo.featured[0].cid, address: '127.0.0.1' });
    await store.recordLookup({ time: now - 4_000, actorKind: 'customer', actor: 'skl_1a2b3c4d', org: 'acme', kind: 'reply', target: demo.featured[1].cid, address: null });
    const all: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<Store['search']>> = await store.search({ limit: 500 }, cursor);
      all.push(...page.items.map((r) => r.cid));
      cursor = page.next;
    } while (cursor);
    cids = [...new Set([...all, ...demo.featured.map((f) => f.cid), demo.longLineCid])];
  } finally {
    await store.close();
  }
  expect(cids.length).toBeGreaterThan(200);
}, 240_000);

afterAll(async () => {
  tmp?.remove();
  for (const s of Object.values(schemas)) await dropSchema(s);
});

describe('tellwang-diag copy', () => {
  it('copies the demo store into PostgreSQL: the same tickets, stats, unparsed lines, operators, tokens, health history and lookups', async () => {
    const target = pgTarget(schemas.full);
    const r = await cli(['copy', '--from', src, '--to', target, '--json']);
    const sum = JSON.parse(r.out) as { complete: boolean; events: number; unparsed: number; streams: { total: number; copied: number }; checks: number; lookups: number };
    expect(sum).toMatchObject({ complete: true, unparsed: 5, operators: { copied: 1 }, tokens: { copied: 2 }, lookups: 2 });
    expect(sum.streams.copied).toBe(sum.streams.total);
    expect(sum.events).toBeGreaterThan(1000);
    expect(sum.checks).toBeGreaterThan(0);
    // Run again: everything is there already, nothing is written twice.
    const again = JSON.parse((await cli(['copy', '--from', src, '--to', target, '--json'])).out) as typeof sum;
    expect(again).toMatchObject({ complete: true, events: 0, unparsed: 0, checks: 0, lookups: 0, operators: { copied: 0, kept: 1 }, tokens: { copied: 0, kept: 2 } });
    expect(again.streams).toEqual({ total: sum.streams.total, copied: 0, already_copied: sum.streams.total });
    expect(await pgCount(schemas.full, 'SELECT coalesce(sum(n), 0) AS n FROM $S.blocks')).toBe(sum.events);
    await expectSameAsSource(target);
    for (const f of demo.featured) {
      const [a, b] = await Promise.all([cli(['ticket', '--db', src, '--json', f.cid]), cli(['ticket', '--db', target, '--json', f.cid])]);
      expect(b.out).toBe(a.out);
    }
  }, 240_000);

  it('resumes a copy killed mid-way (kill -9) and ends with the same store, nothing doubled', async () => {
    const target = pgTarget(schemas.resumed);
    const total = await withStores(target, async (a) => Object.values((await a.stats()).events).reduce((n, x) => n + x, 0));
    // One line per transaction, so the copy is still running when the first lines are committed.
    const child = spawn(process.execPath, [CLI, 'copy', '--from', src, '--to', target, '--page-lines', '1'], { stdio: 'ignore' });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const deadline = Date.now() + 60_000;
    while ((await pgCount(schemas.resumed, 'SELECT coalesce(sum(events), 0) AS n FROM $S.streams')) < 20 && child.exitCode === null && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 25));
    }
    child.kill('SIGKILL');
    await exited;
    const partial = await pgCount(schemas.resumed, 'SELECT coalesce(sum(n), 0) AS n FROM $S.blocks');
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(total);

    const r = JSON.parse((await cli(['copy', '--from', src, '--to', target, '--json'])).out) as { complete: boolean; events: number };
    expect(r.complete).toBe(true);
    expect(r.events).toBe(total - partial);
    expect(await pgCount(schemas.resumed, 'SELECT coalesce(sum(n), 0) AS n FROM $S.blocks')).toBe(total);
    await expectSameAsSource(target);
  }, 240_000);

  it('stops between transactions on Ctrl-C, says so (exit 130), and the same command goes on where it stopped (SQLite into SQLite)', async () => {
    const target = tmp.file('interrupted.sqlite');
    const total = await withStores(target, async (a) => Object.values((await a.stats()).events).reduce((n, x) => n + x, 0));
    const child = spawn(process.execPath, [CLI, 'copy', '--from', src, '--to', target, '--page-lines', '1', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString('utf8')));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const stored = (): number => {
      try {
        const db = new Database(target, { readonly: true, fileMustExist: true });
        try {
          return (db.prepare('SELECT coalesce(sum(events), 0) AS n FROM streams').get() as { n: number }).n;
        } finally {
          db.close();
        }
      } catch {
        return 0;
      }
    };
    const deadline = Date.now() + 60_000;
    while (stored() < 20 && child.exitCode === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    const first = JSON.parse(out) as { complete: boolean; events: number };
    expect(first.complete).toBe(false);
    expect(first.events).toBeGreaterThan(0);
    expect(first.events).toBeLessThan(total);
    expect(stored()).toBe(first.events);
    const rest = JSON.parse((await cli(['copy', '--from', src, '--to', target, '--json'])).out) as { complete: boolean; events: number };
    expect(rest).toMatchObject({ complete: true, events: total - first.events });
    const [a, b] = await Promise.all([cli(['stats', '--db', src, '--json']), cli(['stats', '--db', target, '--json'])]);
    expect(withoutUpdatedAt(b.out)).toEqual(withoutUpdatedAt(a.out));
  }, 120_000);

  it('refuses a missing source, one store on both sides, a target holding data of its own, and says when PostgreSQL cannot be reached', async () => {
    const missing = await runCli(['copy', '--from', tmp.file('nope.sqlite'), '--to', tmp.file('new.sqlite')]);
    expect([missing.code, missing.err]).toEqual([1, expect.stringMatching(/no store at .*nope\.sqlite to copy from; pass --from an existing store/)]);
    expect(existsSync(tmp.file('new.sqlite'))).toBe(false);

    const same = await runCli(['copy', '--from', src, '--to', `${tmp.dir}/./diag.sqlite`]);
    expect([same.code, same.err]).toEqual([1, expect.stringMatching(/--from and --to name the same store/)]);

    const other = tmp.file('other.sqlite');
    const log = tmp.file('other-cp.log');
    writeFileSync(log, `${JSON.stringify({ level: 30, time: Date.now(), pid: 1, hostname: 'cp-9', msg: 'something else', correlation_id: '0123456789abcdef' })}\n`);
    await cli(['ingest', '--db', other, '--final', log]);
    const foreign = await runCli(['copy', '--from', src, '--to', other]);
    expect([foreign.code, foreign.err]).toEqual([1, expect.stringMatching(/the target holds data of its own \(not in the source: .*other-cp\.log\); copy into an empty store/)]);

    const down = await runCli(['copy', '--from', src, '--to', 'postgres://postgres@127.0.0.1:1/test?schema=diag_copy_nowhere']);
    expect([down.code, down.err]).toEqual([1, expect.stringMatching(/cannot reach PostgreSQL at 127\.0\.0\.1:1/)]);
  }, 120_000);
});
