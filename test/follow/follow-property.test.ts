/**
 * In the spirit of Vector's file-watcher experiment: random sequences of
 * appends, partial appends, rename rotations (the writer finishing its line in
 * the old file), copytruncate, plain truncation, deletion of rotated files,
 * and follower polls, commits, crashes (state dropped, nothing committed) and
 * restarts, with time passing — the real Follower, real files, a real SQLite
 * store. After the last step the follower drains; then every complete line
 * must be in the store exactly once (at most once where the writer's
 * operations destroyed it before it could be read), no partial line may be,
 * and nothing may have been read as garbage.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { Follower, type FollowOptions } from '../../src/ingest/follow/follower.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { cidOf, LogModel, type WriterOp } from './follow-model.js';

type FollowerOp = { op: 'poll' } | { op: 'commit' } | { op: 'cycle' } | { op: 'crash' } | { op: 'tick' };
type Op = WriterOp | FollowerOp;

const writerOp: fc.Arbitrary<WriterOp> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ op: fc.constant('append' as const), lines: fc.integer({ min: 1, max: 6 }) }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('partial' as const), fraction: fc.double({ min: 0, max: 1, noNaN: true }) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('rename' as const), extraOld: fc.integer({ min: 0, max: 2 }) }) },
  { weight: 2, arbitrary: fc.constant({ op: 'copytruncate' as const }) },
  { weight: 1, arbitrary: fc.constant({ op: 'truncate' as const }) },
  { weight: 1, arbitrary: fc.constant({ op: 'delete-oldest' as const }) },
);

const followerOp: fc.Arbitrary<FollowerOp> = fc.oneof(
  { weight: 4, arbitrary: fc.constant({ op: 'poll' as const }) },
  { weight: 2, arbitrary: fc.constant({ op: 'commit' as const }) },
  { weight: 4, arbitrary: fc.constant({ op: 'cycle' as const }) },
  { weight: 2, arbitrary: fc.constant({ op: 'crash' as const }) },
  { weight: 1, arbitrary: fc.constant({ op: 'tick' as const }) },
);

const ops: fc.Arbitrary<Op[]> = fc.array(fc.oneof(writerOp, followerOp), { minLength: 1, maxLength: 40 });

/** Small reads and batches, so lines straddle reads and commits happen mid-file. */
const settings = fc.record({
  readChunk: fc.constantFrom(7, 64, 333, 4096),
  batchLines: fc.constantFrom(1, 3, 1000),
  cycleBytes: fc.constantFrom(150, 1 << 20),
  idleMs: fc.constantFrom(0, 2000),
});

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function run(ops: Op[], cfg: Pick<FollowOptions, 'readChunk' | 'batchLines' | 'cycleBytes' | 'idleMs'>): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'diag-follow-prop-'));
  dirs.push(dir);
  const live = path.join(dir, 'logs', 'app.log');
  mkdirSync(path.dirname(live));
  const model = new LogModel(live);
  const store = new SqliteStore(path.join(dir, 'diag.sqlite'));
  let clock = 1_000_000;
  const now = () => clock;
  const make = () => new Follower(store, [live], { ...cfg, pollMs: 0 }, {}, now);
  let f = make();
  try {
    for (const o of ops) {
      clock += 10;
      switch (o.op) {
        case 'poll':
          await f.poll();
          break;
        case 'commit':
          await f.commit();
          break;
        case 'cycle':
          await f.cycle();
          break;
        case 'crash':
          f.abandon();
          f = make();
          break;
        case 'tick':
          clock += cfg.idleMs + 1;
          break;
        default:
          model.apply(o);
      }
    }
    // Drain: cycles with time passing, until three in a row read nothing (bounded).
    for (let i = 0, quiet = 0; i < 500 && quiet < 3; i++) {
      const before = f.totals.bytes;
      clock += cfg.idleMs + 1;
      await f.cycle();
      quiet = f.totals.bytes === before ? quiet + 1 : 0;
    }
    f.abandon();

    const counts = new Map<number, number>();
    const probe = [...model.complete, ...model.abandoned, ...(model.pending ? [model.pending.n] : [])];
    for (const n of probe) counts.set(n, (await store.eventsByCid(cidOf(n))).length);
    const problems: string[] = [];
    for (const n of model.required()) if (counts.get(n) !== 1) problems.push(`line ${n}: ${counts.get(n)} times, expected exactly once`);
    for (const n of model.optional) if ((counts.get(n) ?? 0) > 1) problems.push(`line ${n}: ${counts.get(n)} times, expected at most once`);
    for (const n of [...model.abandoned, ...(model.pending ? [model.pending.n] : [])]) {
      if (counts.get(n)) problems.push(`unfinished line ${n} was ingested`);
    }
    const stats = await store.stats();
    const found = [...counts.values()].reduce((a, b) => a + b, 0);
    if (stats.unparsed !== 0) problems.push(`${stats.unparsed} lines read as garbage: ${JSON.stringify((await store.unparsed()).items.map((u) => u.head))}`);
    if (stats.events.cp !== found) problems.push(`store holds ${stats.events.cp} cp events, the lines account for ${found}`);
    expect(problems).toEqual([]);
  } finally {
    f.abandon();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('follower against a model of rotating log files', () => {
  it('ingests every complete line exactly once', async () => {
    await fc.assert(
      fc.asyncProperty(ops, settings, async (o, cfg) => run(o, cfg)),
      { numRuns: Number(process.env.FOLLOW_PROPERTY_RUNS ?? 120), endOnFailure: true },
    );
  }, 240_000);

  it('handles the classic sequences: rotation while stopped, copytruncate after a partial read, truncation past the offset', async () => {
    const cfg = { readChunk: 64, batchLines: 3, cycleBytes: 1 << 20, idleMs: 2000 };
    await run([{ op: 'append', lines: 5 }, { op: 'cycle' }, { op: 'append', lines: 3 }, { op: 'crash' }, { op: 'rename', extraOld: 1 }, { op: 'append', lines: 2 }], cfg);
    await run([{ op: 'append', lines: 4 }, { op: 'partial', fraction: 0.5 }, { op: 'poll' }, { op: 'copytruncate' }, { op: 'append', lines: 9 }, { op: 'cycle' }], cfg);
    await run([{ op: 'append', lines: 2 }, { op: 'cycle' }, { op: 'truncate' }, { op: 'append', lines: 6 }, { op: 'cycle' }, { op: 'crash' }, { op: 'append', lines: 1 }], cfg);
  });
});
