/**
 * Targeted follower scenarios the property test reaches only by luck: a log
 * truncated and rewritten with the very same first line (a fixed banner),
 * rotations while stopped, a rotated file deleted before it was drained, and
 * stats' view of offsets and lag.
 */
import { appendFileSync, copyFileSync, mkdirSync, renameSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { streamLag } from '../../src/ingest/readers/stream-lag.js';
import { Follower } from '../../src/ingest/follow/follower.js';
import { runFollow } from '../../src/ingest/follow/run-follow.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { tempDir, type TempDir } from '../fixtures/temp-dir.js';
import { BANNER, cidOf, linesText } from './follow-model.js';

let tmp: TempDir;
let store: SqliteStore;
afterEach(async () => {
  await store.close();
  tmp.remove();
});

function setup(): string {
  tmp = tempDir('diag-follower-');
  store = new SqliteStore(tmp.file('diag.sqlite'));
  mkdirSync(tmp.file('logs'));
  return tmp.file('logs', 'app.log');
}

const lines = linesText;

async function expectOnce(ns: number[]): Promise<void> {
  const counts = await Promise.all(ns.map(async (n) => (await store.eventsByCid(cidOf(n))).length));
  expect(counts).toEqual(ns.map(() => 1));
}

describe('Follower', () => {
  it('truncated and rewritten with the same first line: the new lines are new (a generation of their own), also across a restart', async () => {
    const log = setup();
    writeFileSync(log, BANNER + lines(0, 20));
    let f = new Follower(store, [log]);
    await f.cycle();
    truncateSync(log, 0);
    // More than was read before, so only the first line can tell (and it is the same).
    writeFileSync(log, BANNER + lines(100, 150));
    await f.cycle();
    f.abandon();
    f = new Follower(store, [log]);
    appendFileSync(log, lines(150, 160));
    await f.cycle();
    await f.cycle();
    f.abandon();
    await expectOnce([...Array(20).keys(), ...Array.from({ length: 60 }, (_, i) => 100 + i)]);
    expect((await store.stats()).events.cp).toBe(20 + 60 + 2);
  });

  it('truncated while stopped and rewritten shorter with the same banner: read again as new content', async () => {
    const log = setup();
    writeFileSync(log, BANNER + lines(0, 5));
    let f = new Follower(store, [log]);
    await f.cycle();
    f.abandon();
    truncateSync(log, 0);
    writeFileSync(log, BANNER + lines(200, 202));
    f = new Follower(store, [log]);
    await f.cycle();
    f.abandon();
    await expectOnce([0, 1, 2, 3, 4, 200, 201]);
  });

  it('truncated while stopped and rewritten longer than before with the same banner: the bytes before the checkpoint tell, nothing is skipped', async () => {
    const log = setup();
    writeFileSync(log, BANNER + lines(0, 5));
    let f = new Follower(store, [log]);
    await f.cycle();
    f.abandon();
    truncateSync(log, 0);
    // Past the old checkpoint: size, inode and first line all say "the same file, grown".
    writeFileSync(log, BANNER + lines(300, 340));
    f = new Follower(store, [log]);
    await f.cycle();
    f.abandon();
    await expectOnce([...Array(5).keys(), ...Array.from({ length: 40 }, (_, i) => 300 + i)]);
    // Stopped again with nothing new: the rewritten content resumes where it was, nothing is read twice.
    f = new Follower(store, [log]);
    appendFileSync(log, lines(340, 342));
    await f.cycle();
    f.abandon();
    await expectOnce([...Array.from({ length: 42 }, (_, i) => 300 + i)]);
    expect((await store.stats()).events.cp).toBe(5 + 42 + 2);
  });

  it('copied, truncated and written again between a read and its commit: the checkpoint vouches for the bytes read, not the file at commit', async () => {
    const log = setup();
    writeFileSync(log, BANNER + lines(0, 10));
    let f = new Follower(store, [log]);
    await f.poll();
    // copytruncate, and the writer goes on with more than was read, all before the commit.
    copyFileSync(log, `${log}.1`);
    truncateSync(log, 0);
    writeFileSync(log, BANNER + lines(100, 130));
    await f.commit();
    f.abandon();
    f = new Follower(store, [log]);
    await f.cycle();
    await f.cycle();
    f.abandon();
    await expectOnce([...Array(10).keys(), ...Array.from({ length: 30 }, (_, i) => 100 + i)]);
  });

  it('two rotations while stopped: the unseen middle file and the rest of the old one are read, nothing twice', async () => {
    const log = setup();
    writeFileSync(log, lines(0, 10));
    let f = new Follower(store, [log]);
    await f.cycle();
    f.abandon();
    appendFileSync(log, lines(10, 15)); // unread when it rotates
    renameSync(log, `${log}.1`);
    writeFileSync(log, lines(15, 30));
    renameSync(`${log}.1`, `${log}.2`);
    renameSync(log, `${log}.1`);
    writeFileSync(log, lines(30, 33));
    f = new Follower(store, [log]);
    await f.cycle();
    f.abandon();
    await expectOnce([...Array(33).keys()]);
    expect((await store.stats()).events.cp).toBe(33);
  });

  it('a rotated file deleted before it was drained is still read to its end through the open descriptor', async () => {
    const log = setup();
    writeFileSync(log, lines(0, 3));
    const f = new Follower(store, [log], { cycleBytes: 400 });
    await f.cycle();
    appendFileSync(log, lines(3, 40));
    renameSync(log, `${log}.1`);
    writeFileSync(log, lines(40, 42));
    await f.cycle();
    unlinkSync(`${log}.1`);
    for (let i = 0; i < 40; i++) await f.cycle();
    f.abandon();
    await expectOnce([...Array(42).keys()]);
  });

  it('stats: per file its offset and its lag against the file as it is now', async () => {
    const log = setup();
    writeFileSync(log, lines(0, 4));
    const f = new Follower(store, [log]);
    await f.cycle();
    f.abandon();
    appendFileSync(log, lines(4, 6) + '{"level":30,"tim');
    const [s] = (await store.stats()).streams;
    const lag = streamLag(s!);
    expect(s!.path).toBe(log);
    expect(lag.lag).toBe(Buffer.byteLength(lines(4, 6) + '{"level":30,"tim'));
    expect(s!.lastTime).toBe(1_764_000_000_003);
  });

  it('--retain: the follow loop prunes what is older than the retention, in its own cycle', async () => {
    const log = setup();
    const now = Date.now();
    const old = (n: number) => JSON.stringify({ level: 30, time: now - 30 * 86_400_000 + n, msg: 'old', correlation_id: cidOf(n) }) + '\n';
    const fresh = (n: number) => JSON.stringify({ level: 30, time: now - 1000 + n, msg: 'new', correlation_id: cidOf(n) }) + '\n';
    writeFileSync(log, old(0) + old(1) + fresh(2) + fresh(3));
    const ac = new AbortController();
    const pruned: number[] = [];
    await runFollow(store, [log], { retainMs: 14 * 86_400_000, onPrune: (r) => (pruned.push(r.events), ac.abort()) }, ac.signal);
    expect(pruned).toEqual([2]);
    expect((await store.stats()).events.cp).toBe(2);
    expect(await store.eventsByCid(cidOf(0))).toHaveLength(0);
    await expectOnce([2, 3]);
  });
});
