/**
 * `journalctl -o json -f | tellwang-diag ingest -`: a pipe that stays open.
 * What arrives is committed within about a second, while the pipe is still
 * open (not only when it closes). Needs `npx tsc -p tsconfig.json` (runs dist/).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/project-root.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { tempDir, type TempDir } from '../fixtures/temp-dir.js';
import { journalLine } from './journal-lines.js';

const CLI = path.join(projectRoot(), 'dist', 'src', 'cli.js');
const T = Date.UTC(2026, 10, 24, 20, 0, 0);
const cid = (n: number) => (0xabc0000000000000n + BigInt(n)).toString(16);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let tmp: TempDir;
afterEach(() => tmp?.remove());

describe('ingest - (a live pipe)', () => {
  it('commits journald entries while the pipe stays open', async () => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npx tsc -p tsconfig.json first`);
    tmp = tempDir('diag-stdin-live-');
    const db = tmp.file('diag.sqlite');
    const child = spawn(process.execPath, [CLI, 'ingest', '-', '--db', db, '--json'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (out += b.toString()));
    const line = (n: number) => journalLine({ time: T + n, message: JSON.stringify({ level: 30, time: T + n, msg: `job ${n}`, correlation_id: cid(n) }), container: { id: '9a'.repeat(32), name: 'wok-1-fn', image: 'fn' } }) + '\n';
    for (let n = 0; n < 5; n++) child.stdin.write(line(n));
    // Still open: wait (bounded) for the store to show them.
    let seen = 0;
    for (let i = 0; i < 50 && seen < 5; i++) {
      await sleep(100);
      if (!existsSync(db)) continue;
      // The CLI may still be creating the file: opening it read-only can fail until its schema is in.
      let r: SqliteStore | null = null;
      try {
        r = new SqliteStore(db, { readonly: true });
        seen = (await r.stats()).events.container;
      } catch {
        seen = 0;
      } finally {
        await r?.close();
      }
    }
    expect(seen).toBe(5);
    expect(child.exitCode).toBeNull();
    child.stdin.write(line(5));
    child.stdin.end();
    const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ events: { container: 6 }, unparsed: 0 });
  }, 30_000);

  it('a pipe killed and started again, printing its last entries again (as journalctl -f does), stores each entry once', async () => {
    tmp = tempDir('diag-stdin-again-');
    const db = tmp.file('diag.sqlite');
    // The same entries (same cursors) whichever run prints them.
    const lines = Array.from({ length: 15 }, (_, n) => journalLine({ time: T + n, message: JSON.stringify({ level: 30, time: T + n, msg: `job ${n}`, correlation_id: cid(100 + n) }), unit: 'worker.service' }) + '\n');
    const count = async () => {
      let r: SqliteStore | null = null;
      try {
        r = new SqliteStore(db, { readonly: true });
        return (await r.stats()).events.cp;
      } catch {
        return 0;
      } finally {
        await r?.close();
      }
    };
    const first = spawn(process.execPath, [CLI, 'ingest', '-', '--db', db, '--json'], { stdio: ['pipe', 'ignore', 'ignore'] });
    for (const l of lines.slice(0, 10)) first.stdin.write(l);
    let seen = 0;
    for (let i = 0; i < 50 && seen < 10; i++) {
      await sleep(100);
      if (existsSync(db)) seen = await count();
    }
    expect(seen).toBe(10);
    // Killed while the pipe is open, as a crash or a restart of the unit would.
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    const second = spawn(process.execPath, [CLI, 'ingest', '-', '--db', db, '--json'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    second.stdout.on('data', (b: Buffer) => (out += b.toString()));
    for (const l of lines.slice(5)) second.stdin.write(l);
    second.stdin.end();
    expect(await new Promise<number | null>((r) => second.once('exit', (c) => r(c)))).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ stored: 5, duplicates: 5, unparsed: 0 });
    const r = new SqliteStore(db, { readonly: true });
    try {
      expect((await r.stats()).events.cp).toBe(15);
      for (let n = 0; n < 15; n++) expect((await r.eventsByCid(cid(100 + n))).map((e) => e.message)).toEqual([`job ${n}`]);
    } finally {
      await r.close();
    }
    // stats names the journal sequence and the place of the next entry not stored.
    const last = /"__CURSOR":"s=([0-9a-f]+);i=([0-9a-f]+);/.exec(lines[14]!)!;
    const stats = spawnSync(process.execPath, [CLI, 'stats', '--db', db, '--json'], { encoding: 'utf8' });
    expect(JSON.parse(stats.stdout).journal_sequences).toEqual([{ sequence: last[1], next_entry: Number.parseInt(last[2]!, 16) + 1 }]);
  }, 30_000);
});

