/** The Store contract on real SQLite files, plus what only SQLite has: WAL, busy timeout, several connections on one file. */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { storeContract } from './contract.js';
import { runWriters } from './sqlite-writers.js';

function tempDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'diag-sqlite-'));
}

storeContract('sqlite', async () => {
  const dir = tempDir();
  const file = path.join(dir, 'diag.sqlite');
  const store = new SqliteStore(file);
  return {
    store,
    reopen: async () => new SqliteStore(file),
    cleanup: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe('SQLite store file', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('is in WAL mode with a busy timeout, on every connection', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const file = path.join(dir, 'diag.sqlite');
    const a = new SqliteStore(file);
    const b = new SqliteStore(file);
    try {
      for (const s of [a, b]) {
        expect(s.db.pragma('journal_mode', { simple: true })).toBe('wal');
        expect(s.db.pragma('busy_timeout', { simple: true })).toBeGreaterThanOrEqual(5000);
      }
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('connections in several threads write one file at once without SQLITE_BUSY or any other error, and everything lands once', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const file = path.join(dir, 'diag.sqlite');
    await new SqliteStore(file).close();
    // Small batches: every write adds a cid-index segment, so the writers also race to merge segments.
    const o = { writers: 4, batches: 250, perBatch: 2 };
    const result = await runWriters(file, o);
    expect(result.errors).toEqual([]);
    const store = new SqliteStore(file);
    try {
      const stats = await store.stats();
      expect(stats.events.cp).toBe(o.writers * o.batches * o.perBatch);
      expect(stats.correlationIds).toBe(o.writers * o.batches * o.perBatch);
      expect(stats.streams).toHaveLength(o.writers);
      for (const c of result.sampleCids) expect(await store.eventsByCid(c)).toHaveLength(1);
    } finally {
      await store.close();
    }
  });

  it('several connections opening a new file at once all migrate it without error', async () => {
    for (let round = 0; round < 6; round++) {
      const dir = tempDir();
      dirs.push(dir);
      const result = await runWriters(path.join(dir, 'fresh.sqlite'), { writers: 5, batches: 1, perBatch: 1 });
      expect(result.errors).toEqual([]);
    }
  });
});
