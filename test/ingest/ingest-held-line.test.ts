/**
 * A file of one line without its newline: held until the newline comes or
 * --final says the file is complete, and not doubled when the file grows; an
 * empty file skipped and said so.
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ingestPaths } from '../../src/ingest/ingest-paths.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { tempDir } from '../fixtures/temp-dir.js';

const CID_A = '5367500fbf670405';

describe('a file of one line without its newline', () => {
  const tmp = tempDir('tellwang-ingest-');
  afterAll(() => tmp.remove());

  it('waits for its newline, is taken with --final, and is not doubled when the file grows', async () => {
    const store = new SqliteStore(path.join(tmp.dir, 'diag.sqlite'));
    try {
      const file = path.join(tmp.dir, 'one.log');
      const line = (i: number) => JSON.stringify({ level: 30, time: 1_795_000_000_000 + i, correlation_id: CID_A, msg: `line ${i}` });
      writeFileSync(file, line(0));
      const waiting = await ingestPaths(store, [file]);
      expect(waiting.skipped).toEqual([{ path: file, reason: 'no complete first line yet (pass --final if the file is complete)' }]);
      expect((await ingestPaths(store, [file], { final: true })).stored).toBe(1);
      expect((await ingestPaths(store, [file], { final: true })).stored).toBe(0);
      appendFileSync(file, '\n' + line(1) + '\n');
      const grown = await ingestPaths(store, [file]);
      expect([grown.stored, grown.unparsed]).toEqual([1, 0]);
      expect((await store.eventsByCid(CID_A)).map((e) => e.message)).toEqual(['line 0', 'line 1']);
    } finally {
      await store.close();
    }
  });

  it('an empty file is skipped and said so', async () => {
    const store = new SqliteStore(path.join(tmp.dir, 'diag2.sqlite'));
    try {
      const file = path.join(tmp.dir, 'empty.log');
      writeFileSync(file, '');
      expect((await ingestPaths(store, [file], { final: true })).skipped).toEqual([{ path: file, reason: 'empty' }]);
    } finally {
      await store.close();
    }
  });
});
