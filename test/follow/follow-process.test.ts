/**
 * The real thing: `node dist/src/cli.js ingest --follow` as a separate
 * process, SIGKILLed at random moments and started again, while this test
 * appends lines and rotates the file both ways (rename, and copytruncate).
 * At the end every line is in the store exactly once.
 * Needs `npx tsc -p tsconfig.json` first (it runs dist/).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/project-root.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { cidOf, lineText } from './follow-model.js';

const CLI = path.join(projectRoot(), 'dist', 'src', 'cli.js');
const TOTAL = 3000;

let dir: string;
beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npx tsc -p tsconfig.json first`);
  dir = mkdtempSync(path.join(os.tmpdir(), 'diag-follow-proc-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A small deterministic generator, so a failure can be replayed. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function startFollower(live: string, db: string, log: string[]): ChildProcess {
  const child = spawn(process.execPath, [CLI, 'ingest', '--follow', live, '--db', db], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_ENV: 'test' } });
  child.stderr!.on('data', (b: Buffer) => log.push(b.toString()));
  child.stdout!.on('data', (b: Buffer) => log.push(b.toString()));
  return child;
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((r) => child.once('exit', (code) => r(code)));
}

describe('ingest --follow as a process, killed and restarted', () => {
  it('stores every line exactly once through kill -9, rename rotation and copytruncate', async () => {
    const seed = Number(process.env.FOLLOW_SEED ?? Date.now() % 100000);
    const rand = rng(seed);
    const logs = path.join(dir, 'logs');
    mkdirSync(logs);
    const live = path.join(logs, 'app.log');
    const db = path.join(dir, 'diag.sqlite');
    writeFileSync(live, '');
    const out: string[] = [];
    let child = startFollower(live, db, out);
    let kills = 0;
    let renames = 0;
    let copies = 0;
    let rotated = 0;
    const rotate = (how: 'rename' | 'copy') => {
      for (let i = rotated; i >= 1; i--) renameSync(`${live}.${i}`, `${live}.${i + 1}`);
      if (how === 'rename') {
        renameSync(live, `${live}.1`);
        writeFileSync(live, '');
        renames++;
      } else {
        copyFileSync(live, `${live}.1`);
        truncateSync(live, 0);
        copies++;
      }
      rotated++;
    };

    let written = 0;
    let nextKill = Date.now() + 300 + rand() * 500;
    while (written < TOTAL) {
      // Appends of a few lines at a time, sometimes a line in two writes.
      const n = Math.min(TOTAL - written, 1 + Math.floor(rand() * 25));
      let chunk = '';
      for (let i = 0; i < n; i++) chunk += lineText(written + i) + '\n';
      if (rand() < 0.3) {
        const cut = Math.floor(chunk.length * rand());
        writeFileSync(live, chunk.slice(0, cut), { flag: 'a' });
        await sleep(2);
        writeFileSync(live, chunk.slice(cut), { flag: 'a' });
      } else {
        writeFileSync(live, chunk, { flag: 'a' });
      }
      written += n;
      const r = rand();
      // Rotations happen between writes (the writer is in this process), as logrotate's would between a logger's writes.
      if (r < 0.015) rotate('rename');
      else if (r < 0.03) rotate('copy');
      await sleep(5 + Math.floor(rand() * 15));
      if (Date.now() >= nextKill) {
        child.kill('SIGKILL');
        await exited(child);
        kills++;
        // Sometimes rotate while the follower is down.
        if (rand() < 0.3) rotate(rand() < 0.5 ? 'rename' : 'copy');
        child = startFollower(live, db, out);
        // Often before it has caught up, sometimes before it has even started.
        nextKill = Date.now() + 100 + rand() * 700;
      }
    }
    if (renames === 0) rotate('rename');
    if (copies === 0) rotate('copy');

    // Let it catch up (bounded), then stop it cleanly. On a loaded machine every follower so far may have been
    // killed before it created the store, or the last one may have created the file but not yet its schema (a
    // read-only store cannot open without its tables): wait (bounded) for the last one to have made both.
    const deadline = Date.now() + 30_000;
    let reader: SqliteStore;
    for (;;) {
      try {
        if (!existsSync(db)) throw new Error(`no store at ${db}`);
        reader = new SqliteStore(db, { readonly: true });
        break;
      } catch (e) {
        if (Date.now() >= deadline) throw e;
        await sleep(50);
      }
    }
    try {
      while (Date.now() < deadline) {
        // Until the follower has written its schema, the store has no tables to count.
        const cp = await reader.stats().then((st) => st.events.cp, () => 0);
        if (cp >= TOTAL) break;
        await sleep(100);
      }
      await sleep(700);
      child.kill('SIGTERM');
      expect(await exited(child)).toBe(0);

      const stats = await reader.stats();
      const wrong: string[] = [];
      for (let n = 0; n < TOTAL; n++) {
        const k = (await reader.eventsByCid(cidOf(n))).length;
        if (k !== 1) wrong.push(`line ${n}: ${k}`);
      }
      expect({ seed, wrong: wrong.slice(0, 20), cp: stats.events.cp, unparsed: stats.unparsed }).toEqual({ seed, wrong: [], cp: TOTAL, unparsed: 0 });
      expect(kills).toBeGreaterThan(2);
      expect(renames).toBeGreaterThan(0);
      expect(copies).toBeGreaterThan(0);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await reader.close();
    }
    if (out.some((l) => /unexpected failure/.test(l))) throw new Error(out.join(''));
  }, 90_000);
});
