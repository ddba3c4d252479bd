/**
 * One-shot ingest (the one-thread path and bulk ingest) of a file that was
 * cut and written again between two runs with the very same first line: the
 * inode, the first line and — when rewritten longer — the size all look like
 * "the same file, grown"; only the bytes just before the checkpoint tell. The
 * new content is read whole, once; the old stays; a copy of read content
 * resumes instead of doubling.
 */
import { copyFileSync, truncateSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { bulkIngest } from '../../src/ingest/bulk/bulk-ingest.js';
import { ingestPaths, type IngestReport } from '../../src/ingest/ingest-paths.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { BANNER, cidOf, linesText } from '../follow/follow-model.js';
import { tempDir, type TempDir } from '../fixtures/temp-dir.js';

const lines = linesText;
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

type Ingest = (store: SqliteStore, paths: string[]) => Promise<IngestReport>;
const paths: [string, Ingest][] = [
  ['one thread', (store, p) => ingestPaths(store, p)],
  ['bulk', (store, p) => bulkIngest(store, p, { workers: 2, rangeBytes: 512 })],
];

let tmp: TempDir;
let store: SqliteStore;
afterEach(async () => {
  await store.close();
  tmp.remove();
});

function setup(): string {
  tmp = tempDir('diag-rewritten-');
  store = new SqliteStore(tmp.file('diag.sqlite'));
  return tmp.file('app.log');
}

async function counts(ns: number[]): Promise<number[]> {
  return Promise.all(ns.map(async (n) => (await store.eventsByCid(cidOf(n))).length));
}

describe.each(paths)('ingest (%s) of a file rewritten between runs', (_name, ingest) => {
  it('rewritten longer with the same first line: every new line is stored, none of the old is lost or doubled', async () => {
    const log = setup();
    writeFileSync(log, BANNER + lines(0, 5));
    expect((await ingest(store, [log])).stored).toBe(6);
    truncateSync(log, 0);
    writeFileSync(log, BANNER + lines(100, 130));
    const r = await ingest(store, [log]);
    expect(r.stored).toBe(31);
    expect(await counts([...range(0, 5), ...range(100, 130)])).toEqual(Array(35).fill(1));
    // Ingested again: the rewritten content resumes at its own checkpoint.
    expect((await ingest(store, [log])).stored).toBe(0);
  });

  it('rewritten shorter with the same first line: the new lines are stored, not skipped as already read', async () => {
    const log = setup();
    writeFileSync(log, BANNER + lines(0, 20));
    await ingest(store, [log]);
    truncateSync(log, 0);
    writeFileSync(log, BANNER + lines(200, 203));
    expect((await ingest(store, [log])).stored).toBe(4);
    expect(await counts(range(200, 203))).toEqual([1, 1, 1]);
  });

  it('a copy of content already read (another inode, same bytes, grown) resumes: nothing twice', async () => {
    const log = setup();
    writeFileSync(log, BANNER + lines(0, 10));
    await ingest(store, [log]);
    const copy = tmp.file('app.log.1');
    copyFileSync(log, copy);
    writeFileSync(copy, BANNER + lines(0, 12));
    expect((await ingest(store, [copy])).stored).toBe(2);
    expect(await counts(range(0, 12))).toEqual(Array(12).fill(1));
  });
});
