/**
 * The bench itself, small: a corpus of a few thousand lines written, read
 * back by the real CLI and looked up, in SQLite and in PostgreSQL (the
 * machine's, as `--pg` takes it). Checks that its figures are measured on what
 * was written (every line ingested, every sampled id found in-process and over
 * HTTP, the same tickets from both stores), not the figures' values: speed is
 * the bench's business.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { writeCorpus } from '../../bench/corpus.js';
import { shareFiles } from '../../bench/floor.js';
import { findLnav, LNAV_INSTALL_HINT } from '../../bench/lnav-peer.js';
import type { BenchResult } from '../../bench/report.js';
import { projectRoot } from '../../src/project-root.js';
import { PG_URL } from '../store/pg-scratch.js';

const run = promisify(execFile);
const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(path.join(os.tmpdir(), 'bench-test-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('bench corpus', () => {
  it('writes the lines it counts, in every layout, and samples ids that are in the cp logs', () => {
    const c = writeCorpus(path.join(tmp(), 'c'), 4000, 7, 50);
    const newlines = c.files.reduce((n, f) => n + readFileSync(f).toString('utf8').split('\n').length - 1, 0);
    expect(newlines).toBe(c.lines);
    expect(c.lines).toBeGreaterThanOrEqual(4000);
    expect(c.files.filter((f) => /cp-[12]\.log$/.test(f))).toHaveLength(2);
    expect(c.files.some((f) => f.endsWith('audit.log'))).toBe(true);
    expect(c.files.filter((f) => /containers\/[0-9a-f]{64}\/[0-9a-f]{64}-json\.log$/.test(f)).length).toBe(48);
    expect(c.cids).toHaveLength(50);
    expect(new Set(c.cids).size).toBe(50);
    const cp = c.files.filter((f) => /cp-[12]\.log$/.test(f)).map((f) => readFileSync(f, 'utf8')).join('');
    for (const cid of c.cids) expect(cp).toContain(`"correlation_id":"${cid}"`);
    // Same seed, same files.
    const again = writeCorpus(path.join(tmp(), 'c'), 4000, 7, 50);
    expect(again.bytes).toBe(c.bytes);
    expect(again.cids).toEqual(c.cids);
  });
});

describe('ingest floor', () => {
  it('shares whole files over the threads, largest first onto the least loaded, each file once', () => {
    const d = tmp();
    const sizes = [900, 500, 400, 300, 100];
    const files = sizes.map((n, i) => {
      const f = path.join(d, `f${i}.log`);
      writeFileSync(f, 'x'.repeat(n));
      return f;
    });
    const shares = shareFiles(files, 2);
    // 900 → a; 500, 400 → b (900 each); 300 → a (the first of equals); 100 → b.
    expect(shares).toEqual([
      [files[0], files[3]],
      [files[1], files[2], files[4]],
    ]);
    expect(shareFiles(files.slice(0, 1), 4)).toEqual([[files[0]]]);
  });
});

describe('npm run bench (small)', () => {
  it('ingests the whole corpus with the CLI and finds every looked-up id, in-process and over HTTP, in SQLite and in PostgreSQL', async () => {
    const dir = path.join(tmp(), 'kept');
    const { stdout } = await run(
      process.execPath,
      [path.join(projectRoot(), 'dist/bench/bench.js'), '--lines', '3000', '--json', '--no-diag', '--lookups', '200', '--grep-ids', '2', '--redact-ms', '2', '--dir', dir, '--pg', PG_URL],
      { maxBuffer: 16 * 1024 * 1024, timeout: 480_000 },
    );
    const r = JSON.parse(stdout) as BenchResult;
    expect(r.ingest.lines).toBe(r.corpus.lines);
    expect(r.ingest.stored).toBe(r.corpus.lines - r.ingest.unparsed);
    expect(r.ingest.unparsed).toBe(0);
    expect(r.ingest.peakRssBytes).toBeGreaterThan(0);
    expect(r.database.fileBytes).toBeGreaterThan(0);
    expect(r.database.rawBytes).toBe(r.corpus.bytes);
    expect(r.lookup.inProcess.n).toBe(200);
    expect(r.lookup.inProcess.missing).toBe(0);
    expect(r.lookup.http?.missing).toBe(0);
    expect(r.lookup.http?.statuses).toEqual({ 200: 200 });
    expect(r.lookup.grep?.missing).toBe(0);
    expect(r.segments?.entries).toBeGreaterThan(0);
    expect(r.database.bytesPerLine).toBeCloseTo((r.database.fileBytes + r.database.walBytes) / r.ingest.lines, 6);
    // PostgreSQL: the same corpus stored, its schema measured, the same ids found by the same lookups, with the same tickets.
    const p = r.postgres!;
    expect(p.lines).toBe(r.corpus.lines);
    expect(p.stored).toBe(r.ingest.stored);
    expect(p.database.tables).toBeGreaterThan(5);
    expect(p.database.bytes).toBeGreaterThan(0);
    expect(p.database.bytesPerLine).toBeCloseTo(p.database.bytes / p.lines, 6);
    expect(p.database.ratio).toBeCloseTo(p.database.bytes / r.corpus.bytes, 6);
    expect(p.database.walCounted).toBe(false);
    expect(p.lookup.inProcess).toMatchObject({ n: 200, missing: 0 });
    expect(p.lookup.inProcess.eventsPerTicket).toBe(r.lookup.inProcess.eventsPerTicket);
    expect(p.lookup.http?.statuses).toEqual({ 200: 200 });
    expect(p.lookup.http?.eventsPerTicket).toBe(r.lookup.http?.eventsPerTicket);
    // One console, then two on the same paths, followed the corpus until the streams counted every stored line.
    const c = r.consoles!;
    expect(c.lines).toBe(r.ingest.stored + r.ingest.unparsed);
    expect([c.one.consoles, c.two.consoles]).toEqual([1, 2]);
    for (const run of [c.one, c.two]) {
      expect(run.seconds).toBeGreaterThan(0);
      // Lines of the streams under a lease at the end: a stream given up and not yet taken again counts for none.
      const leased = run.linesPerConsole.reduce((a, b) => a + b, 0);
      expect(leased).toBeGreaterThan(0);
      expect(leased).toBeLessThanOrEqual(c.lines);
    }
    expect(c.ratio).toBeCloseTo(c.two.seconds / c.one.seconds, 6);
    // The floor read every line of the corpus (each file on exactly one thread).
    expect(r.floor.lines).toBe(r.corpus.lines);
    expect(r.floor.ratio).toBeCloseTo(r.floor.linesPerSecond / r.baseline.linesPerSecond, 6);
    expect(r.redaction.length).toBeGreaterThan(10);
    // The incidents of the corpus's last day: its two codes (CP_EXEC_SQL_FAILED, CP_PROJECT_NOT_FOUND), every HTTP answer 200.
    expect(r.incidents?.inProcess).toMatchObject({ n: 200, codes: 2 });
    expect(r.incidents?.http?.statuses).toEqual({ 200: 200 });
    // Each kind of search found requests, in-process and over HTTP.
    for (const cases of [r.search.inProcess, r.search.http ?? []]) {
      expect(cases.map((c) => c.kind)).toEqual(['code', 'org', 'text']);
      for (const c of cases) expect(c.rows).toBeGreaterThan(0);
    }
    // lnav opened the same files when it is installed (every line indexed, by our formats), else the bench says how to install it.
    const lnav = findLnav() !== null;
    if (r.lnav?.installed) {
      expect(r.lnav.recognised).toBe(r.corpus.lines);
      expect(r.lnav.indexRows).toBeGreaterThanOrEqual(r.corpus.lines);
      expect(r.lnav.files).toHaveLength(r.corpus.files);
      for (const f of r.lnav.files) expect(f.format).not.toBeNull();
      expect(r.lnav.wallSeconds).toBeGreaterThan(0);
      expect(r.lnav.peakRssBytes).toBeGreaterThan(0);
      expect(r.lnav.ratio).toBeCloseTo(r.ingest.wallSeconds / r.lnav.wallSeconds, 6);
    } else {
      expect(r.lnav).toEqual({ installed: false, hint: LNAV_INSTALL_HINT });
    }
    expect(r.lnav?.installed).toBe(lnav);
    expect(r.targets.map((t) => t.name)).toEqual([
      'ingest ratio',
      ...(lnav ? ['ingest / lnav open'] : []),
      'PostgreSQL / SQLite ingest',
      'two consoles / one',
      'PostgreSQL drop of a day',
      'lookup p99 in-process',
      'lookup p99 HTTP',
      'PostgreSQL lookup p99 HTTP',
      'peak RSS',
      'database ratio',
      'redaction linear',
      'incidents p99 in-process',
      'incidents p99 HTTP',
      ...['in-process', 'HTTP'].flatMap((where) => ['code', 'org', 'text'].map((kind) => `search ${kind} p99 ${where}`)),
    ]);
    for (const t of r.targets) expect(t.met).toBe(t.atMost ? t.measured <= t.target : t.measured >= t.target);
    // --dir keeps the corpus and the database for a look afterwards.
    expect(r.corpus.dir).toBe(path.join(dir, 'corpus'));
    expect(existsSync(path.join(dir, 'bench.sqlite'))).toBe(true);
  }, 540_000);
});
