/**
 * Bad input while following, each never fatal and never blocking the lines
 * after it: invalid UTF-8, binary garbage, non-JSON, a line over the cap,
 * Docker's 16 KiB partial records cut across reads, a store that is full or
 * read-only (no checkpoint moves; ingest resumes exactly once when the store
 * is writable again), and paths that are missing or cannot be read.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { containerConfig, dockerRecords } from '../../scripts/formats/docker-json-file.js';
import { checkFollowPaths } from '../../src/ingest/follow/follow-targets.js';
import { Follower } from '../../src/ingest/follow/follower.js';
import { runFollow } from '../../src/ingest/follow/run-follow.js';
import { fingerprintBytes } from '../../src/ingest/readers/file-identity.js';
import { projectRoot } from '../../src/project-root.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { StoreError } from '../../src/store/store.js';
import { tempDir, type TempDir } from '../fixtures/temp-dir.js';
import { cidOf, lineText, linesText } from './follow-model.js';

let tmp: TempDir;
const stores: SqliteStore[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  tmp?.remove();
});

function setup(): { store: SqliteStore; log: string; db: string } {
  tmp = tempDir('diag-follow-bad-');
  const db = tmp.file('diag.sqlite');
  const store = new SqliteStore(db);
  stores.push(store);
  mkdirSync(tmp.file('logs'));
  return { store, log: tmp.file('logs', 'app.log'), db };
}

function keyOf(file: string, text: string): string {
  return fingerprintBytes(Buffer.from(text))!;
}

async function drain(f: Follower): Promise<void> {
  for (let i = 0; i < 5; i++) await f.cycle();
}

describe('bad lines in a followed file', () => {
  it('invalid UTF-8, binary garbage and non-JSON are counted and quarantined; the lines after them are read', async () => {
    const { store, log } = setup();
    const first = lineText(0) + '\n';
    writeFileSync(log, first);
    appendFileSync(log, Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0xc3, 0x28, 0x7d, 0x0a])); // {"a":\xc3(}  invalid UTF-8
    appendFileSync(log, Buffer.from([0x00, 0x01, 0xff, 0xfe, 0x1b, 0x5b, 0x32, 0x4a, 0x00, 0x0a])); // NULs, 0xff, an escape sequence
    appendFileSync(log, 'GET /index.html 200\n');
    appendFileSync(log, JSON.stringify({ level: 30, time: 1_764_000_000_001, msg: 'na\u00efve caf\u00e9', correlation_id: cidOf(1) }).replace('caf\u00e9', 'caf') + '\n');
    appendFileSync(log, Buffer.concat([Buffer.from('{"level":30,"time":1764000000002,"msg":"caf'), Buffer.from([0xe9]), Buffer.from(`","correlation_id":"${cidOf(2)}"}\n`)]));
    appendFileSync(log, lineText(3) + '\n');
    const f = new Follower(store, [log]);
    await drain(f);
    f.abandon();
    const st = await store.stats();
    expect(st.events.cp).toBe(4);
    expect(st.unparsed).toBe(3);
    expect((await store.eventsByCid(cidOf(2)))[0]!.message).toBe('caf\ufffd');
    const cp = (await store.checkpoint(keyOf(log, first)))!;
    expect(cp.invalidUtf8).toBe(3);
    expect(cp.unparsed).toBe(3);
    expect(cp.offset).toBe((await import('node:fs')).statSync(log).size);
    const reasons = (await store.unparsed()).items.map((u) => u.reason).sort();
    expect(reasons.some((r) => /invalid UTF-8/.test(r))).toBe(true);
  });

  it('a line over the cap is kept truncated and marked, the next lines are read, and the checkpoint is exact (also across a restart)', async () => {
    const { store, log } = setup();
    const first = lineText(0) + '\n';
    writeFileSync(log, first);
    const long = JSON.stringify({ level: 30, time: 1_764_000_000_000, msg: 'z'.repeat(3 * 1024 * 1024), correlation_id: cidOf(9) });
    // Written in pieces, as a slow writer would: the follower sees it partial first.
    const f = new Follower(store, [log], { readChunk: 64 * 1024 });
    await f.cycle();
    appendFileSync(log, long.slice(0, 1_500_000));
    await f.cycle();
    appendFileSync(log, long.slice(1_500_000) + '\n' + lineText(1) + '\n');
    await f.cycle();
    f.abandon();
    // A restart reads nothing twice.
    const g = new Follower(store, [log]);
    appendFileSync(log, lineText(2) + '\n');
    await drain(g);
    g.abandon();
    const st = await store.stats();
    expect(st.events.cp).toBe(3);
    expect(st.unparsed).toBe(1);
    const u = (await store.unparsed()).items[0]!;
    expect(u.reason).toMatch(/over the length cap; kept truncated/);
    expect(u.head.startsWith('{"level":30')).toBe(true);
    const cp = (await store.checkpoint(keyOf(log, first)))!;
    expect(cp.truncated).toBe(1);
    expect(cp.offset).toBe((await import('node:fs')).statSync(log).size);
    for (const n of [0, 1, 2]) expect(await store.eventsByCid(cidOf(n))).toHaveLength(1);
  });

  it("joins Docker's 16 KiB partial records cut across reads and a crash, once", async () => {
    const { store } = setup();
    const id = 'cd'.repeat(32);
    const dir = tmp.file('logs', id);
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'config.v2.json'), containerConfig({ id, name: 'wok-1-fn', image: 'fn', labels: { 'tellwang.wok': 'wok-1', 'tellwang.role': 'functions' }, created: 0 }));
    const file = path.join(dir, `${id}-json.log`);
    const big = JSON.stringify({ level: 50, time: 1_764_000_000_000, msg: 'big', blob: 'q'.repeat(40_000), correlation_id: cidOf(5) });
    const recs = dockerRecords({ text: big, stream: 'stdout', time: 1_764_000_000_000 });
    expect(recs.length).toBe(3);
    const other = dockerRecords({ text: JSON.stringify({ level: 30, time: 1, msg: 'between', correlation_id: cidOf(6) }), stream: 'stderr', time: 1_764_000_000_001 });
    writeFileSync(file, recs[0]!);
    let f = new Follower(store, [tmp.file('logs')], { readChunk: 5000 });
    await f.cycle();
    appendFileSync(file, other[0]! + recs[1]!.slice(0, 100));
    await f.cycle();
    f.abandon(); // crash with the long line still open
    f = new Follower(store, [tmp.file('logs')], { readChunk: 5000 });
    appendFileSync(file, recs[1]!.slice(100) + recs[2]!);
    await drain(f);
    f.abandon();
    const e = await store.eventsByCid(cidOf(5));
    expect(e).toHaveLength(1);
    expect(e[0]!.fields._parts).toBe(3);
    expect(await store.eventsByCid(cidOf(6))).toHaveLength(1);
    expect((await store.stats()).events.container).toBe(2);
  });
});

describe('a store that cannot be written', () => {
  it('full: the cycle fails with a clear StoreError, no checkpoint moves, reads work; once there is room, everything lands exactly once', async () => {
    const { store, log } = setup();
    const first = lineText(0) + '\n';
    writeFileSync(log, first);
    const f = new Follower(store, [log]);
    await f.cycle();
    const key = keyOf(log, first);
    const before = (await store.checkpoint(key))!;
    const pages = store.db.pragma('page_count', { simple: true }) as number;
    store.db.pragma(`max_page_count = ${pages}`);
    // Enough lines that their packed blocks and index entries cannot fit in the pages' free space.
    const n = 2000;
    appendFileSync(log, linesText(1, n));
    const err = await f.cycle().then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(StoreError);
    expect((err as StoreError).reason).toBe('full');
    expect((err as Error).message).toMatch(/full/);
    f.abandon();
    expect((await store.checkpoint(key))!.offset).toBe(before.offset);
    expect(await store.eventsByCid(cidOf(0))).toHaveLength(1);

    // The server's way: report, pause, start over from the checkpoints.
    const ac = new AbortController();
    const errors: string[] = [];
    const resumed: number[] = [];
    const run = runFollow(
      store,
      [log],
      {
        onStoreError: (e) => {
          errors.push(e.reason);
          if (errors.length === 2) store.db.pragma('max_page_count = 1073741823');
        },
        onResume: (ms) => resumed.push(ms),
        onCycle: (t) => {
          if (t.stored > 0) ac.abort();
        },
      },
      ac.signal,
    );
    await run;
    expect(errors).toEqual(['full', 'full']);
    // Paused for the two backoffs (1 s, then 2 s) before the write that worked.
    expect(resumed).toHaveLength(1);
    expect(resumed[0]).toBeGreaterThanOrEqual(2900);
    for (let i = 0; i < n; i += 13) expect(await store.eventsByCid(cidOf(i))).toHaveLength(1);
    expect((await store.stats()).events.cp).toBe(n);
  }, 20_000);

  it('read-only: ingest --follow stops with the error, checkpoints untouched', async () => {
    const { store, log, ro } = await oneLineStoredThenReadOnly();
    const ac = new AbortController();
    const err = await runFollow(ro, [log], { onStoreError: 'stop' }, ac.signal).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(StoreError);
    expect((err as StoreError).reason).toBe('readonly');
    expect(await store.eventsByCid(cidOf(1))).toHaveLength(0);
    expect(await ro.eventsByCid(cidOf(0))).toHaveLength(1);
  });

  it('read-only: the server way stops too, not waiting for what waiting cannot fix', async () => {
    const { store, log, ro } = await oneLineStoredThenReadOnly();
    const reported: string[] = [];
    const err = await runFollow(ro, [log], { onStoreError: (e) => reported.push(e.reason) }, new AbortController().signal).then(
      () => null,
      (e: unknown) => e,
    );
    expect((err as StoreError).reason).toBe('readonly');
    expect(reported).toEqual([]);
    expect(await ro.eventsByCid(cidOf(1))).toHaveLength(0);
  });
});

/** A store holding line 0 of its log, line 1 appended unread, and the same file opened read-only. */
async function oneLineStoredThenReadOnly(): Promise<{ store: SqliteStore; log: string; ro: SqliteStore }> {
  const { store, log, db } = setup();
  writeFileSync(log, lineText(0) + '\n');
  await drain(new Follower(store, [log]));
  appendFileSync(log, lineText(1) + '\n');
  const ro = new SqliteStore(db, { readonly: true });
  stores.push(ro);
  return { store, log, ro };
}

describe('paths', () => {
  it('a missing path is an error naming it; a missing file in an existing directory is waited for', async () => {
    const { store } = setup();
    expect(() => checkFollowPaths([tmp.file('nope', 'app.log')])).toThrow(/nope\/app\.log: no such file or directory/);
    const later = tmp.file('logs', 'later.log');
    const f = new Follower(store, checkFollowPaths([later]));
    await f.cycle();
    writeFileSync(later, lineText(1) + '\n');
    await f.cycle();
    f.abandon();
    expect(await store.eventsByCid(cidOf(1))).toHaveLength(1);
  });

  it('the CLI names a path it cannot follow and exits 1', () => {
    setup();
    const cli = path.join(projectRoot(), 'dist', 'src', 'cli.js');
    if (!existsSync(cli)) throw new Error(`${cli} is missing: run npx tsc -p tsconfig.json first`);
    writeFileSync(tmp.file('plain'), 'x\n');
    for (const bad of [tmp.file('missing-dir', 'a.log'), tmp.file('plain', 'a.log')]) {
      const r = spawnSync(process.execPath, [cli, 'ingest', '--follow', bad, '--db', tmp.file('x.sqlite')], { encoding: 'utf8', timeout: 20_000 });
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(bad);
      expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
    }
  });
});
