/**
 * Two followers on one SQLite file (two connections, as two consoles on one
 * host), each with its lease keeper, rounds driven by hand: the streams are
 * split, every line is stored once, and a follower that stalled past its
 * lease cannot commit what it read under it once the other took it over.
 * Holder ids name another host, so only expiry frees a lease here.
 */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Follower } from '../../src/ingest/follow/follower.js';
import { LeaseKeeper } from '../../src/ingest/follow/lease-keeper.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { tempDir, type TempDir } from '../fixtures/temp-dir.js';
import { cidOf, linesText } from './follow-model.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const FILES = ['a.log', 'b.log', 'c.log', 'd.log'];

let tmp: TempDir;
const stores: SqliteStore[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  tmp.remove();
});

function setup(): { logs: string; a: SqliteStore; b: SqliteStore } {
  tmp = tempDir('diag-follow-leases-');
  const logs = tmp.file('logs');
  mkdirSync(logs);
  const a = new SqliteStore(tmp.file('diag.sqlite'));
  const b = new SqliteStore(tmp.file('diag.sqlite'));
  stores.push(a, b);
  return { logs, a, b };
}

/** File i holds lines i*1000 … i*1000+n-1. */
function write(logs: string, from: number, to: number): void {
  FILES.forEach((f, i) => appendFileSync(path.join(logs, f), linesText(i * 1000 + from, i * 1000 + to)));
}

async function counts(store: SqliteStore, from: number, to: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < FILES.length; i++) for (let n = from; n < to; n++) out.push((await store.eventsByCid(cidOf(i * 1000 + n))).length);
  return out;
}

describe('followers sharing streams by leases', () => {
  it('split the streams evenly and store every line once, neither reading what the other stored', async () => {
    const { logs, a, b } = setup();
    write(logs, 0, 30);
    const ka = new LeaseKeeper(a, { holder: 'host-a:1:aa', ttlMs: 60_000, renewMs: 60_000 });
    const kb = new LeaseKeeper(b, { holder: 'host-b:1:bb', ttlMs: 60_000, renewMs: 60_000 });
    const fa = new Follower(a, [logs], {}, {}, Date.now, ka);
    const fb = new Follower(b, [logs], {}, {}, Date.now, kb);
    // a sees the files first and takes them all; b joins; a gives up its excess and b takes it.
    for (let round = 0; round < 4; round++) {
      await fa.cycle();
      await ka.round();
      await fb.cycle();
      await kb.round();
      write(logs, 30 + round * 10, 40 + round * 10);
    }
    // A stream given up is read by the other after its next round: a few more, bounded.
    for (let i = 0; i < 10 && (await counts(a, 0, 70)).some((n) => n !== 1); i++) {
      await fa.cycle();
      await ka.round();
      await fb.cycle();
      await kb.round();
    }
    expect(ka.holding.length).toBe(2);
    expect(kb.holding.length).toBe(2);
    expect(new Set([...ka.holding, ...kb.holding].map((f) => f.key)).size).toBe(4);
    expect(await counts(a, 0, 70)).toEqual(Array(4 * 70).fill(1));
    expect(fa.totals.duplicates + fb.totals.duplicates).toBe(0);
    expect(fa.totals.lines).toBeGreaterThan(0);
    expect(fb.totals.lines).toBeGreaterThan(0);
    fa.abandon();
    fb.abandon();
  });

  it('a follower that stalled past its lease has its stream taken over, and its late commit is refused', async () => {
    const { logs, a, b } = setup();
    const live = path.join(logs, 'app.log');
    writeFileSync(live, linesText(0, 10));
    const ka = new LeaseKeeper(a, { holder: 'host-a:1:aa', ttlMs: 1500, renewMs: 60_000 });
    const kb = new LeaseKeeper(b, { holder: 'host-b:1:bb', ttlMs: 60_000, renewMs: 60_000 });
    const fa = new Follower(a, [logs], {}, {}, Date.now, ka);
    const fb = new Follower(b, [logs], {}, {}, Date.now, kb);
    await fa.poll();
    await ka.round();
    await fa.cycle();
    expect(ka.holding.map((f) => f.epoch)).toEqual([1]);
    // a reads more but stalls before committing, and renews nothing.
    appendFileSync(live, linesText(10, 20));
    await fa.poll();
    const commitsBefore = fa.totals.commits;
    await sleep(1700);
    await fb.poll();
    await kb.round();
    expect(kb.holding.map((f) => f.epoch)).toEqual([2]);
    appendFileSync(live, linesText(20, 25));
    await fb.cycle();
    await fb.cycle();
    const at = (await b.streams())[0]!.offset;
    // a wakes up and commits what it read under epoch 1: refused, nothing written, the stream let go.
    await fa.commit();
    expect(fa.totals.commits).toBe(commitsBefore);
    expect(fa.files).toBe(0);
    expect((await b.streams())[0]!.offset).toBe(at);
    expect(await counts(a, 0, 0)).toEqual([]);
    const once: number[] = [];
    for (let n = 0; n < 25; n++) once.push((await a.eventsByCid(cidOf(n))).length);
    expect(once).toEqual(Array(25).fill(1));
    expect(fb.totals.duplicates).toBe(0);
    // Its next cycles leave the stream to b.
    await ka.round();
    appendFileSync(live, linesText(25, 30));
    await fa.cycle();
    await fb.cycle();
    expect(fa.totals.lines).toBe(20);
    expect((await a.eventsByCid(cidOf(29))).length).toBe(1);
    fa.abandon();
    fb.abandon();
  });
});
