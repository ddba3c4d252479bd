/**
 * The files of a source and what is said about it, on real directories laid
 * out as the Docker daemon keeps them: rotated logs are final, an unreadable
 * config.v2.json is a warning, a container directory without a log is
 * skipped; and one-shot and bulk ingest of the same tree say the same.
 */
import { fstatSync, closeSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bulkIngest } from '../../../src/ingest/bulk/bulk-ingest.js';
import { ingestPaths } from '../../../src/ingest/ingest-paths.js';
import { discover, type SourceSpec } from '../../../src/ingest/readers/discover.js';
import { openLogFile, sourceFiles } from '../../../src/ingest/readers/source-files.js';
import { SqliteStore } from '../../../src/store/sqlite/sqlite-store.js';
import { auditLog } from '../../fixtures/audit-lines.js';
import { containerId, dockerLog, writeContainer, type ContainerSpec } from '../../fixtures/docker-dir.js';
import { tempDir } from '../../fixtures/temp-dir.js';

const T = Date.UTC(2026, 10, 24, 20, 22, 24, 843);
const db: ContainerSpec = { id: containerId('wok-w1-db'), name: 'wok-w1-db', image: 'postgres:16', labels: { 'tellwang.wok': 'w1', 'tellwang.role': 'db' }, created: T - 3_600_000 };
const fnId = containerId('wok-w1-fn');
const brokenId = containerId('wok-w2-db');
const emptyId = containerId('wok-w3-db');

function lines(from: number, n: number): string {
  return dockerLog(db, Array.from({ length: n }, (_, i) => ({ text: `LOG:  checkpoint ${from + i} complete`, stream: 'stderr' as const, time: T + from + i })));
}

describe('sourceFiles and openLogFile', () => {
  const tmp = tempDir('tellwang-sources-');
  const root = tmp.dir;
  const containers = path.join(root, 'containers');
  let specs: SourceSpec[];
  beforeAll(() => {
    writeContainer(containers, db, lines(20, 2), [lines(10, 2), lines(0, 2)]);
    writeContainer(containers, { ...db, id: fnId, config: false }, lines(100, 1));
    const broken = writeContainer(containers, { ...db, id: brokenId }, lines(200, 1));
    writeFileSync(path.join(broken, 'config.v2.json'), '{"ID": "cut off');
    mkdirSync(path.join(containers, emptyId));
    writeFileSync(path.join(containers, emptyId, 'config.v2.json'), JSON.stringify({ ID: emptyId, Name: '/wok-w3-db', Config: { Labels: {}, Image: 'postgres:16' } }));
    writeFileSync(path.join(root, 'audit.log'), auditLog([{ correlationId: 'ab12cd34ef56ab78', time: T }]));
    writeFileSync(path.join(root, 'empty.log'), '');
    specs = discover([root]);
  });
  afterAll(() => tmp.remove());

  const of = (id: string) => {
    const spec = specs.find((s) => s.kind === 'docker' && path.basename(s.dir.dir) === id);
    if (!spec || spec.kind !== 'docker') throw new Error(`no container ${id}`);
    return spec;
  };

  it('a container: every log file, the rotated ones final, the labels from config.v2.json', () => {
    const r = sourceFiles(of(db.id), false);
    expect(r.files.map((f) => [path.basename(f.path), f.final, f.kind, f.source, f.container?.role])).toEqual([
      [`${db.id}-json.log.2`, true, 'docker', 'container', 'db'],
      [`${db.id}-json.log.1`, true, 'docker', 'container', 'db'],
      [`${db.id}-json.log`, false, 'docker', 'container', 'db'],
    ]);
    expect(sourceFiles(of(db.id), true).files.every((f) => f.final)).toBe(true);
    expect({ skipped: r.skipped, warnings: r.warnings }).toEqual({ skipped: [], warnings: [] });
  });

  it('says nothing of a missing config.v2.json, warns of an unreadable one, skips a container without a log', () => {
    expect(sourceFiles(of(fnId), false)).toMatchObject({ skipped: [], warnings: [] });
    const broken = sourceFiles(of(brokenId), false);
    expect(broken.files.length).toBe(1);
    expect(broken.warnings).toEqual([{ path: path.join(containers, brokenId), message: expect.stringMatching(/^config\.v2\.json: .+; wok and role only from the records' attrs$/) }]);
    expect(sourceFiles(of(emptyId), false)).toEqual({ files: [], skipped: [{ path: path.join(containers, emptyId), reason: 'no *-json.log file' }], warnings: [] });
  });

  it('a plain file is a file stream, final only when asked', () => {
    const spec = specs.find((s) => s.kind === 'file' && s.path.endsWith('audit.log'))!;
    expect(spec).toBeDefined();
    expect(sourceFiles(spec as Exclude<SourceSpec, { kind: 'stdin' }>, false).files).toEqual([{ path: path.join(root, 'audit.log'), kind: 'file', container: null, source: null, final: false }]);
  });

  it('opens a log with its stream key, or says why not and leaves nothing open', async () => {
    const store = new SqliteStore(':memory:');
    try {
      const ok = await openLogFile(store, path.join(root, 'audit.log'), false);
      if ('reason' in ok) throw new Error(ok.reason);
      expect(fstatSync(ok.fd).size).toBe(ok.head.stat.size);
      expect(ok.key).toMatch(/^[0-9a-f]{16}$/);
      closeSync(ok.fd);
      expect(await openLogFile(store, path.join(root, 'missing.log'), false)).toEqual({ reason: expect.stringMatching(/.+/) });
      expect(await openLogFile(store, path.join(root, 'empty.log'), false)).toEqual({ reason: expect.stringMatching(/.+/) });
    } finally {
      await store.close();
    }
  });

  it('one-shot and bulk ingest of the tree skip and warn alike', async () => {
    const one = new SqliteStore(':memory:');
    const bulk = new SqliteStore(':memory:');
    try {
      const a = await ingestPaths(one, [root]);
      const b = await bulkIngest(bulk, [root], { workers: 1 });
      expect(b.skipped).toEqual(a.skipped);
      expect(b.warnings).toEqual(a.warnings);
      expect(a.skipped.map((s) => path.basename(s.path))).toEqual(expect.arrayContaining([emptyId, 'empty.log']));
      expect(a.warnings.map((w) => path.basename(w.path))).toEqual([brokenId]);
      expect([a.stored, b.stored]).toEqual([9, 9]);
    } finally {
      await one.close();
      await bulk.close();
    }
  });
});
