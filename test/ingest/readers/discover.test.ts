import { mkdirSync, renameSync, writeFileSync, appendFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestPaths } from '../../../src/ingest/ingest-paths.js';
import { discover, InputError, type SourceSpec } from '../../../src/ingest/readers/discover.js';
import { SqliteStore } from '../../../src/store/sqlite/sqlite-store.js';
import { pgLine } from '../../../scripts/formats/postgres-log.js';
import { containerId, dockerLog, writeContainer, type ContainerSpec } from '../../fixtures/docker-dir.js';
import { tempDir } from '../../fixtures/temp-dir.js';

const T = Date.UTC(2026, 10, 24, 20, 22, 24, 843);
// Ids derived from the names; the walk lists container dirs by id, and this one sorts before the functions one.
const db: ContainerSpec = { id: containerId('wok-w1-db'), name: 'wok-w1-db', image: 'postgres:16', labels: { 'tellwang.wok': 'w1', 'tellwang.role': 'db' }, created: T - 3_600_000 };

function pgRecords(from: number, n: number): string {
  return dockerLog(
    db,
    Array.from({ length: n }, (_, i) => ({ text: pgLine({ time: T + from + i, pid: 40 + i, application: 'psql', severity: 'LOG', message: `statement: select ${from + i}` }), stream: 'stderr' as const, time: T + from + i })),
  );
}

function describeSpec(root: string, s: SourceSpec): string {
  if (s.kind === 'stdin') return '-';
  if (s.kind === 'file') return `file ${path.relative(root, s.path)}`;
  return `docker ${path.relative(root, s.dir.dir)} [${s.dir.files.map((f) => path.basename(f)).join(' ')}] ${s.dir.container.wok}/${s.dir.container.role}`;
}

describe('discover', () => {
  const tmp = tempDir('tellwang-ingest-');
  const root = tmp.dir;
  beforeAll(() => {
    writeContainer(path.join(root, 'containers'), db, pgRecords(20, 2), [pgRecords(10, 2), pgRecords(0, 2)]);
    // No config.v2.json: recognised by its log named after the directory.
    writeContainer(path.join(root, 'containers'), { ...db, id: containerId('wok-w1-fn'), config: false }, pgRecords(0, 1));
    mkdirSync(path.join(root, 'app', 'nested', 'deeper'), { recursive: true });
    writeFileSync(path.join(root, 'app', 'cp.log'), '{"level":30,"time":1,"msg":"x"}\n');
    // An ordinary directory that happens to hold a "-json.log": its other files are still logs.
    writeFileSync(path.join(root, 'app', 'exported-json.log'), '{"level":30,"time":1,"msg":"y"}\n');
    writeFileSync(path.join(root, 'app', 'nested', 'deeper', 'audit.log'), '{"time":"2026-11-24T20:22:24Z","actor":"a","action":"x"}\n');
    writeFileSync(path.join(root, 'app', 'old.log.gz'), 'binary');
    writeFileSync(path.join(root, 'app', '.hidden'), 'x');
  });
  afterAll(() => tmp.remove());

  it('walks a tree: container dirs (rotated files oldest first) and plain files; skips archives and dot files', () => {
    expect(discover([root]).map((s) => describeSpec(root, s))).toEqual([
      `file app/cp.log`,
      `file app/exported-json.log`,
      `file app/nested/deeper/audit.log`,
      `docker containers/${db.id} [${db.id}-json.log.2 ${db.id}-json.log.1 ${db.id}-json.log] w1/db`,
      `docker containers/${containerId('wok-w1-fn')} [${containerId('wok-w1-fn')}-json.log] null/null`,
    ].sort((a, b) => (a.startsWith('docker') === b.startsWith('docker') ? 0 : a.startsWith('docker') ? 1 : -1)));
  });

  it('a file named inside a container dir is read alone, with its container\'s labels', () => {
    const f = path.join(root, 'containers', db.id, `${db.id}-json.log.1`);
    expect(discover([f]).map((s) => describeSpec(root, s))).toEqual([`docker containers/${db.id} [${db.id}-json.log.1] w1/db`]);
  });

  it('names given twice, or a dir and a file in it, are read once', () => {
    const dir = path.join(root, 'containers', db.id);
    const f = path.join(dir, `${db.id}-json.log`);
    expect(discover([f, dir, dir, f]).map((s) => describeSpec(root, s))).toEqual([
      `docker containers/${db.id} [${db.id}-json.log] w1/db`,
      `docker containers/${db.id} [${db.id}-json.log.2 ${db.id}-json.log.1] w1/db`,
    ]);
    const cp = path.join(root, 'app', 'cp.log');
    expect(discover([cp, path.join(root, 'app', '.', 'cp.log')]).length).toBe(1);
  });

  it('a missing path is an error that names it', () => {
    const missing = path.join(root, 'nope.log');
    expect(() => discover([missing])).toThrow(InputError);
    expect(() => discover([missing])).toThrow(`${missing}: no such file or directory`);
  });

  it('- is standard input', () => {
    expect(discover(['-'])).toEqual([{ kind: 'stdin' }]);
  });
});

describe('Docker log rotation between two ingests', () => {
  const tmp = tempDir('tellwang-ingest-');
  let store: SqliteStore;
  beforeAll(() => {
    store = new SqliteStore(path.join(tmp.dir, 'diag.sqlite'));
  });
  afterAll(async () => {
    await store.close();
    tmp.remove();
  });

  it('a rotated file is the same stream under a new name: its new lines are read once, nothing twice', async () => {
    const dir = writeContainer(path.join(tmp.dir, 'containers'), db, pgRecords(0, 3));
    const live = path.join(dir, `${db.id}-json.log`);
    const r1 = await ingestPaths(store, [dir]);
    expect(r1.stored).toBe(3);
    // More lines, then the daemon rotates: the live file becomes .1, a new live file starts.
    appendFileSync(live, pgRecords(3, 2));
    renameSync(live, `${live}.1`);
    writeFileSync(live, pgRecords(5, 2));
    const r2 = await ingestPaths(store, [dir]);
    expect(r2.streams.map((s) => [path.basename(s.path!), s.lines, s.stored])).toEqual([
      [`${db.id}-json.log.1`, 2, 2],
      [`${db.id}-json.log`, 2, 2],
    ]);
    // And a third time, nothing.
    const r3 = await ingestPaths(store, [dir]);
    expect(r3.stored).toBe(0);
    const stats = await store.stats();
    expect(stats.events.container).toBe(7);
  });

  it('a rotated file ending inside a split line is complete: its last part is kept, not held', async () => {
    const c: ContainerSpec = { ...db, id: containerId('sp') };
    const long = 'L'.repeat(20_000);
    const recs = dockerLog(c, [{ text: long, stream: 'stdout', time: T }]).split('\n').filter(Boolean);
    const dir = writeContainer(path.join(tmp.dir, 'containers'), c, pgRecords(9, 1), [recs[0] + '\n']);
    const rotated = path.join(dir, `${c.id}-json.log.1`);
    const r = await ingestPaths(store, [rotated]);
    expect(r.streams.length).toBe(1);
    expect(r.streams[0]!.pendingBytes).toBe(0);
    expect(r.stored).toBe(1);
  });
});

describe('container labels', () => {
  const tmp = tempDir('tellwang-ingest-');
  afterAll(() => tmp.remove());

  it('a file named directly gets its container\'s labels; an unreadable config.v2.json is said, and lines still count', async () => {
    const store = new SqliteStore(path.join(tmp.dir, 'diag.sqlite'));
    try {
      const dir = writeContainer(path.join(tmp.dir, 'c'), db, pgRecords(0, 2));
      const r = await ingestPaths(store, [path.join(dir, `${db.id}-json.log`)]);
      expect(r.stored).toBe(2);
      const [e] = await store.containerTail(db.id, 1);
      expect(e).toMatchObject({ source: 'container', container: { id: db.id, name: 'wok-w1-db', wok: 'w1', role: 'db', image: 'postgres:16' } });

      const broken: ContainerSpec = { ...db, id: containerId('bk') };
      const bdir = writeContainer(path.join(tmp.dir, 'c'), broken, pgRecords(50, 1));
      writeFileSync(path.join(bdir, 'config.v2.json'), '{"ID": "trunc');
      const b = await ingestPaths(store, [bdir]);
      expect(b.stored).toBe(1);
      expect(b.warnings).toEqual([{ path: bdir, message: expect.stringMatching(/^config\.v2\.json: .*; wok and role only from the records' attrs$/) }]);
    } finally {
      await store.close();
    }
  });
});
