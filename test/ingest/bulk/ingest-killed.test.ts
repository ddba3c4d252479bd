/**
 * A bulk ingest killed (SIGKILL) after some batches committed, then run
 * again, ends with exactly the store a run never interrupted makes: every
 * batch is atomic with its checkpoints, so nothing is lost and nothing is
 * stored twice, and every correlation id is found.
 */
import { spawn } from 'node:child_process';
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeCorpus, type Corpus } from '../../../bench/corpus.js';
import { SqliteStore } from '../../../src/store/sqlite/sqlite-store.js';
import { CLI, requireBuiltCli, runCli } from '../../fixtures/built-cli.js';
import { tempDir, type TempDir } from '../../fixtures/temp-dir.js';

/** Events committed so far, read as another process would (null before the schema exists). */
function committed(file: string): number | null {
  if (!existsSync(file)) return null;
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('SELECT COALESCE(SUM(events), 0) FROM streams').pluck().get() as number) ?? 0;
  } catch {
    return null;
  } finally {
    db.close();
  }
}

/** Runs `ingest` on the corpus and kills it once some but not all of its lines are committed; the events committed then. */
async function ingestKilledMidway(db: string, corpus: Corpus): Promise<number> {
  const child = spawn(process.execPath, [CLI, 'ingest', '--json', '--db', db, corpus.dir], { stdio: 'ignore' });
  const ended = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  let seen: number | null = null;
  while (child.exitCode === null && !((seen = committed(db)) && seen > 0)) await new Promise((r) => setTimeout(r, 5));
  child.kill('SIGKILL');
  await ended;
  return committed(db) ?? 0;
}

interface Tally {
  events: unknown;
  requests: number;
  correlationIds: number;
  failures: number;
  checkpoints: unknown;
}

async function tally(file: string): Promise<Tally> {
  const s = new SqliteStore(file);
  try {
    const st = await s.stats();
    return {
      events: st.events,
      requests: st.requests,
      correlationIds: st.correlationIds,
      failures: s.db.prepare('SELECT COUNT(*) FROM failures').pluck().get() as number,
      checkpoints: st.streams.map((x) => [x.path, x.offset, x.line, x.events]),
    };
  } finally {
    await s.close();
  }
}

describe('a bulk ingest killed midway', () => {
  let dir: TempDir;
  let corpus: Corpus;

  beforeAll(() => {
    requireBuiltCli();
    dir = tempDir('ingest-killed-');
    corpus = writeCorpus(dir.file('corpus'), 120_000, 11, 300);
  });

  afterAll(() => dir?.remove());

  it('resumes from its checkpoints to the same store as an uninterrupted run', async () => {
    const whole = dir.file('whole.sqlite');
    expect((await runCli(['ingest', '--json', '--db', whole, corpus.dir], { timeoutMs: 120_000 })).code).toBe(0);
    const want = await tally(whole);
    const total = Object.values(want.events as Record<string, number>).reduce((a, b) => a + b, 0);

    const killed = dir.file('killed.sqlite');
    const before = await ingestKilledMidway(killed, corpus);
    // Killed after a commit and before the end: the test is about a run cut short.
    expect(before).toBeGreaterThan(0);
    expect(before).toBeLessThan(total);
    const again = await runCli(['ingest', '--json', '--db', killed, corpus.dir], { timeoutMs: 120_000 });
    expect(again.code).toBe(0);
    expect((JSON.parse(again.out) as { stored: number }).stored + before).toBe(total);
    expect(await tally(killed)).toEqual(want);

    const a = new SqliteStore(whole);
    const b = new SqliteStore(killed);
    try {
      for (const cid of corpus.cids) expect(await b.eventsByCid(cid)).toEqual(await a.eventsByCid(cid));
    } finally {
      await a.close();
      await b.close();
    }
  }, 180_000);
});
