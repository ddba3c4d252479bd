/**
 * `stats` and `prune` as commands (dist/): the JSON shape, per-file offset,
 * lag and newest line; retention by --retain and --before, batched, with the
 * WAL checkpointed afterwards; usage errors.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/project-root.js';
import { tempDir, type TempDir } from '../fixtures/temp-dir.js';

const CLI = path.join(projectRoot(), 'dist', 'src', 'cli.js');
const DAY = 86_400_000;

let tmp: TempDir;
afterEach(() => tmp?.remove());

function cli(...args: string[]) {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npx tsc -p tsconfig.json first`);
  return spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 30_000 });
}

const cid = (n: number) => (0xd1a6000000000000n + BigInt(n)).toString(16);
const line = (n: number, time: number) => JSON.stringify({ level: 30, time, pid: 1, hostname: 'cp', correlation_id: cid(n), msg: `line ${n}` }) + '\n';

describe('stats and prune', () => {
  it('stats --json: events per source, unparsed, correlation ids, and per file its offset, lag and last line time', () => {
    tmp = tempDir('diag-stats-');
    const db = tmp.file('diag.sqlite');
    const log = tmp.file('cp.log');
    const now = Date.now();
    writeFileSync(log, line(1, now - 2000) + line(2, now - 1000) + 'garbage\n');
    expect(cli('ingest', log, '--db', db).status).toBe(0);
    appendFileSync(log, line(3, now));
    const r = cli('stats', '--db', db, '--json');
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout) as { events: Record<string, number>; unparsed: number; correlation_ids: number; files: Record<string, unknown>[] };
    expect(j.events).toEqual({ cp: 2, container: 0, audit: 0 });
    expect(j.unparsed).toBe(1);
    expect(j.correlation_ids).toBe(2);
    const size = statSync(log).size;
    expect(j.files).toEqual([
      expect.objectContaining({ path: log, offset: size - line(3, now).length, size, lag_bytes: line(3, now).length, last_line_time: new Date(now - 1000).toISOString(), events: 2, unparsed: 1 }),
    ]);
    const text = cli('stats', '--db', db);
    expect(text.stdout).toMatch(/events\s+cp 2\s+container 0\s+audit 0/);
    expect(text.stdout).toContain(log);
  });

  it('prune --retain removes what is older, keeps the rest, and leaves the WAL checkpointed', () => {
    tmp = tempDir('diag-prune-');
    const db = tmp.file('diag.sqlite');
    const log = tmp.file('cp.log');
    const now = Date.now();
    let text = '';
    for (let i = 0; i < 3000; i++) text += line(i, i < 2000 ? now - 30 * DAY + i : now - 1000 + (i % 1000));
    writeFileSync(log, text);
    expect(cli('ingest', log, '--db', db).status).toBe(0);
    const r = cli('prune', '--db', db, '--retain', '14d', '--json');
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout) as { removed_events: number };
    expect(j.removed_events).toBe(2000);
    const wal = `${db}-wal`;
    expect(existsSync(wal) ? statSync(wal).size : 0).toBe(0);
    const s = JSON.parse(cli('stats', '--db', db, '--json').stdout) as { events: Record<string, number>; correlation_ids: number };
    expect(s.events.cp).toBe(1000);
    expect(cli('ticket', cid(10), '--db', db).status).toBe(1);
    expect(cli('ticket', cid(2500), '--db', db, '--json').status).toBe(0);
    expect(cli('prune', '--db', db, '--before', new Date(now + DAY).toISOString(), '--json').status).toBe(0);
    expect((JSON.parse(cli('stats', '--db', db, '--json').stdout) as { events: Record<string, number> }).events.cp).toBe(0);
  });

  it('prune needs exactly one of --retain and --before; bad durations are usage errors', () => {
    tmp = tempDir('diag-prune-usage-');
    const db = tmp.file('diag.sqlite');
    expect(cli('prune', '--db', db).status).toBe(2);
    expect(cli('prune', '--db', db, '--retain', '14d', '--before', '2026-01-01').status).toBe(2);
    const bad = cli('prune', '--db', db, '--retain', 'fortnight');
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/duration like 14d/);
    expect(cli('stats', '--db', tmp.file('none.sqlite')).status).toBe(1);
  });
});
