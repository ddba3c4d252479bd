/** The Store contract on real SQLite files, plus what only SQLite has: WAL, busy timeout, several connections on one file. */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { storeContract } from './contract.js';
import { runWriters } from './sqlite-writers.js';
import { MIGRATIONS } from '../../src/store/sqlite/migrations.js';
import { unpackLines } from '../../src/store/block-codec.js';
import { auditStream, cid, cpStream, platformKey, StreamFixture, T0 } from '../fixtures/events.js';

/** Blocks as a file older than packing holds them: lines and summaries as TEXT (the migrations read summaries with json_each). */
function unpackBlocks(store: SqliteStore): void {
  const rows = store.db.prepare('SELECT id, data, summary FROM blocks').all() as { id: number; data: Buffer; summary: Buffer | null }[];
  const put = store.db.prepare('UPDATE blocks SET data = ?, summary = ? WHERE id = ?');
  for (const r of rows) put.run(unpackLines(r.data), r.summary === null ? null : unpackLines(r.summary), r.id);
}

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

  it('a file of schema 5 gains the index of wok changes, filled from the audit blocks it already holds', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const file = path.join(dir, 'old.sqlite');
    const a = new StreamFixture(auditStream());
    for (let i = 0; i < 40; i++) {
      a.audit({ cid: cid(`m${i}`), time: T0 + i * 1000, org: 'acme', wok: `wacme${i % 3}`, action: ['wok.sql.exec', 'wok.restart', 'wok.env.delete', 'key.revoke', 'wok.env.set'][i % 5]! });
    }
    const store = new SqliteStore(file);
    await store.writeBatch({ streams: [a.batch()] });
    const written = await store.wokChanges({ from: T0, to: T0 + 60_000, limit: 1000 });
    expect(written.length).toBe(24);
    // Back to schema 5: no wok_changes table, the indexes as they were, blocks as text.
    unpackBlocks(store);
    store.db.exec(`DROP TABLE ingesters; DROP TABLE wok_changes; DROP INDEX code_minutes_code; DROP INDEX failures_code_time;
      CREATE INDEX failures_code_time ON failures(code, time) WHERE code IS NOT NULL; PRAGMA user_version = 5;`);
    await store.close();
    const reopened = new SqliteStore(file);
    try {
      expect(await reopened.wokChanges({ from: T0, to: T0 + 60_000, limit: 1000 })).toEqual(written);
      expect(reopened.db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    } finally {
      await reopened.close();
    }
  });

  it('a file of schema 6 gets its per-minute traffic again from the request summaries, with the key prefix a later inventory names', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const file = path.join(dir, 'old.sqlite');
    const key = platformKey('traffic-migration');
    const s = new StreamFixture(cpStream());
    for (let i = 0; i < 30; i++) {
      s.request({ cid: cid(`tm-${i}`), time: T0 + i * 7_000, url: '/v1/woks', responseTime: 0, ...(i % 2 ? { key: key.key } : { org: 'globex' }), ...(i % 5 === 0 ? { status: 500, code: 'CP_INTERNAL' } : {}) });
    }
    const store = new SqliteStore(file);
    await store.writeBatch({ streams: [s.batch()] });
    // Schema 6 kept traffic per minute, wok and org only, and blocks as text.
    unpackBlocks(store);
    store.db.exec(`DROP TABLE ingesters; CREATE TABLE old_traffic (minute INTEGER NOT NULL, wok TEXT NOT NULL, org TEXT NOT NULL, total INTEGER NOT NULL, failed INTEGER NOT NULL, PRIMARY KEY (minute, wok, org)) WITHOUT ROWID;
      INSERT INTO old_traffic SELECT minute, wok, org, SUM(total), SUM(failed) FROM traffic GROUP BY 1, 2, 3;
      DROP TABLE traffic; ALTER TABLE old_traffic RENAME TO traffic; PRAGMA user_version = 6;`);
    await store.close();
    const reopened = new SqliteStore(file);
    try {
      await reopened.putInventory({ orgs: [{ slug: 'acme' }], woks: [], keys: [{ prefix: key.prefix, sha256: key.sha256, org: 'acme', user: 'dana', kind: 'skl', revokedAt: null }] });
      const all = { from: T0 - 60_000, to: T0 + 600_000 };
      expect(await reopened.requestCounts({ ...all, org: 'acme' })).toEqual({ total: 15, failed: 3, byCode: { CP_INTERNAL: 3 } });
      expect(await reopened.requestCounts({ ...all, org: 'globex' })).toEqual({ total: 15, failed: 3, byCode: { CP_INTERNAL: 3 } });
      expect(await reopened.requestTotal(all)).toBe(30);
    } finally {
      await reopened.close();
    }
  });
});
