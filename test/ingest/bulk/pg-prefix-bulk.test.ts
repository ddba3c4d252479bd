/**
 * A PostgreSQL log file cut into byte ranges over parser threads is read with
 * the configured log_line_prefix in every range, as the one-thread path reads it.
 */
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bulkIngest } from '../../../src/ingest/bulk/bulk-ingest.js';
import { ingestPaths } from '../../../src/ingest/ingest-paths.js';
import { SqliteStore } from '../../../src/store/sqlite/sqlite-store.js';
import { every } from '../../fixtures/pg15-log-lines.js';
import { tempDir, type TempDir } from '../../fixtures/temp-dir.js';

const ROUNDS = 40;

describe('bulk ingest of PostgreSQL text with a configured prefix', () => {
  let dir: TempDir;
  let one: SqliteStore;
  let bulk: SqliteStore;
  let file: string;

  beforeAll(() => {
    dir = tempDir('bulk-pg-prefix-');
    file = dir.file('postgresql.log');
    // The same sessions again and again, each round a second later (%n, %m and %t all moved).
    const lines: string[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      for (const l of every.lines) lines.push(l.replace(/15:03:4(\d)/g, (_, s: string) => `15:${String(4 + r).padStart(2, '0')}:4${s}`).replace(/17963966(\d\d)/, (_, s: string) => String(1796396600 + Number(s) + r * 60)));
    }
    writeFileSync(file, lines.join('\n') + '\n');
    one = new SqliteStore(dir.file('one.sqlite'));
    bulk = new SqliteStore(dir.file('bulk.sqlite'));
  });

  afterAll(async () => {
    await one?.close();
    await bulk?.close();
    dir?.remove();
  });

  it('every range reads every line, the same as one thread', async () => {
    const prefix = { pgLogLinePrefix: every.prefix, final: true };
    const a = await ingestPaths(one, [file], prefix);
    const b = await bulkIngest(bulk, [file], { ...prefix, workers: 2, rangeBytes: 4096, pieceLines: 50 });
    expect(a.unparsed).toBe(0);
    expect(b.unparsed).toBe(0);
    expect(b.events.container).toBe(every.lines.length * ROUNDS);
    expect((await bulk.stats()).events).toEqual((await one.stats()).events);
    const cid = 'a1b2c3d4e5f60002';
    const got = await bulk.eventsByCid(cid);
    expect(got).toHaveLength(3 * ROUNDS);
    expect(got).toEqual(await one.eventsByCid(cid));
  });
});
