/**
 * Bulk ingest (parser threads, byte ranges of one file spread over them, one
 * writer) stores exactly what the one-thread path stores: the same events,
 * requests and tickets, checkpoints that resume, and nothing twice.
 */
import { appendFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeCorpus, type Corpus } from '../../../bench/corpus.js';
import { bulkIngest } from '../../../src/ingest/bulk/bulk-ingest.js';
import { bulkIngestOnThread } from '../../../src/ingest/bulk/run-ingest-thread.js';
import { DEFAULT_REDACTOR } from '../../../src/redact/redactor.js';
import { ingestPaths } from '../../../src/ingest/ingest-paths.js';
import { SqliteStore } from '../../../src/store/sqlite/sqlite-store.js';
import { tempDir, type TempDir } from '../../fixtures/temp-dir.js';

describe('bulk ingest', () => {
  let dir: TempDir;
  let corpus: Corpus;
  let one: SqliteStore;
  let bulk: SqliteStore;

  beforeAll(async () => {
    dir = tempDir('bulk-ingest-');
    corpus = writeCorpus(dir.file('corpus'), 20_000, 7, 300);
    one = new SqliteStore(dir.file('one.sqlite'));
    bulk = new SqliteStore(dir.file('bulk.sqlite'));
    await ingestPaths(one, [corpus.dir], { batchLines: 3000 });
    // Small ranges and pieces, so the big cp files are cut into many tasks handled out of order.
    const r = await bulkIngest(bulk, [corpus.dir], { workers: 3, rangeBytes: 64 * 1024, pieceLines: 500, commitLines: 2000 });
    expect(r.lines).toBe(corpus.lines);
  });

  afterAll(async () => {
    await one?.close();
    await bulk?.close();
    dir?.remove();
  });

  it('stores the same events, requests and correlation ids as the one-thread path', async () => {
    const [a, b] = [await one.stats(), await bulk.stats()];
    expect(b.events).toEqual(a.events);
    expect(b.events.cp + b.events.container + b.events.audit).toBe(corpus.lines);
    expect(b.requests).toBe(a.requests);
    expect(b.correlationIds).toBe(a.correlationIds);
    expect(b.unparsed).toBe(a.unparsed);
    // Same checkpoints, line numbers included.
    const pick = (s: typeof a) => s.streams.map((x) => [x.path, x.offset, x.line, x.events]);
    expect(pick(b)).toEqual(pick(a));
  });

  it('answers the same events for every sampled correlation id', async () => {
    for (const cid of corpus.cids) expect(await bulk.eventsByCid(cid)).toEqual(await one.eventsByCid(cid));
    const s = await bulk.search({ limit: 500 });
    expect(s.items).toEqual((await one.search({ limit: 500 })).items);
  });

  it('ingesting again stores nothing; lines appended later are picked up from the checkpoints', async () => {
    const again = await bulkIngest(bulk, [corpus.dir], { workers: 2, rangeBytes: 64 * 1024 });
    expect(again.stored).toBe(0);
    const audit = corpus.files.find((f) => f.includes(`${path.sep}audit${path.sep}`) || f.endsWith('audit.log'))!;
    const cid = 'aaaabbbbccccdddd';
    appendFileSync(audit, JSON.stringify({ time: new Date().toISOString(), actor: 'u', org: 'o', action: 'wok.env.set', outcome: 'success', correlation_id: cid, ip: '10.0.0.1' }) + '\n');
    const more = await bulkIngest(bulk, [corpus.dir], { workers: 2 });
    expect(more.stored).toBe(1);
    expect((await bulk.eventsByCid(cid)).map((e) => e.source)).toEqual(['audit']);
  });

  it('runs on a thread of its own with the same result, and reports a missing path as the CLI expects', async () => {
    const file = dir.file('thread.sqlite');
    const r = await bulkIngestOnThread(file, [corpus.dir], DEFAULT_REDACTOR, { workers: 2 });
    // The files as they are now (the test above appended a line).
    const want = (await bulk.stats()).events;
    expect(r.stored).toBe(want.cp + want.container + want.audit);
    const s = new SqliteStore(file);
    try {
      expect((await s.stats()).events).toEqual(want);
    } finally {
      await s.close();
    }
    await expect(bulkIngestOnThread(file, [dir.file('no-such-dir')], DEFAULT_REDACTOR)).rejects.toMatchObject({ name: 'InputError', message: expect.stringContaining('no such file or directory') });
  });
});
