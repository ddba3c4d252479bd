/**
 * discover + ingestPaths end to end, on real files in a temp dir: cp logs from
 * the real pino-http (both production configurations), the audit log, Docker
 * container dirs (labels in attrs, or only in config.v2.json), rotated files,
 * PostgreSQL text inside, a split 16 KiB line, garbage; into a real SQLite store.
 */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalog } from '../../src/catalog/catalog.js';
import { ingestPaths, type IngestReport } from '../../src/ingest/ingest-paths.js';
import type { ContainerEvent, Event } from '../../src/model/event.js';
import { buildTicket } from '../../src/queries/ticket.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { auditLine } from '../../scripts/formats/audit-log.js';
import { mintKey } from '../../scripts/formats/inventory-file.js';
import { capturePino } from '../../scripts/formats/pino-lines.js';
import { pgLine, pgShutdown, pgStartup, type PgLineInput } from '../../scripts/formats/postgres-log.js';
import { runCp, type CpRun } from '../fixtures/cp-app.js';
import { containerId, dockerLog, writeContainer, type ContainerSpec } from '../fixtures/docker-dir.js';
import { tempDir } from '../fixtures/temp-dir.js';

const CID_A = '5367500fbf670405';
const CID_B = '9a0b1c2d3e4f5a6b';
const key = mintKey('skl');

interface World {
  root: string;
  runA: CpRun;
  runB: CpRun;
  /** Completion time of request A (epoch ms). */
  tA: number;
  db: ContainerSpec;
  fn: ContainerSpec;
  heldLine: string;
}

function completion(run: CpRun, path: string): { time: number; responseTime: number } {
  const line = run.lines.find((l) => l.includes('"responseTime"') && l.includes(`"url":"${path}"`))!;
  return JSON.parse(line) as { time: number; responseTime: number };
}

async function buildWorld(root: string): Promise<World> {
  // (a) the id only as req.id, app lines through req.log; (b) correlation_id on every line.
  const runA = await runCp('req-id', [
    { method: 'GET', path: '/v1/woks/w1', headers: { authorization: `Bearer ${key.key}` } },
    { method: 'POST', path: '/v1/woks/w1/sql', headers: { authorization: `Bearer ${key.key}`, 'x-correlation-id': CID_A }, body: { sql: 'select 1' } },
  ]);
  const runB = await runCp('correlation-id', [
    { method: 'POST', path: '/v1/woks/w1/sql', headers: { 'x-correlation-id': CID_B.toUpperCase() } },
    { method: 'GET', path: '/v1/orgs/nope' },
  ]);
  const done = completion(runA, '/v1/woks/w1/sql');
  const tA = done.time;
  const start = tA - done.responseTime;

  mkdirSync(path.join(root, 'cp'), { recursive: true });
  writeFileSync(path.join(root, 'cp', 'cp-a.log'), runA.lines.join('\n') + '\n');
  // A writer caught mid-line: the last line has no newline yet.
  const heldLine = runB.lines[runB.lines.length - 1]!;
  writeFileSync(path.join(root, 'cp', 'cp-b.log'), runB.lines.slice(0, -1).join('\n') + '\n' + heldLine);

  mkdirSync(path.join(root, 'audit'), { recursive: true });
  writeFileSync(
    path.join(root, 'audit', 'audit.log'),
    [
      auditLine({ time: start + 1, actor: 'ana@acme.test', org: 'acme', action: 'wok.sql.exec', outcome: 'failure', correlationId: CID_A, ip: '203.0.113.7', wokId: 'w1', extra: { statements: 1 } }),
      auditLine({ time: tA + 5000, actor: 'bob@acme.test', org: 'acme', action: 'wok.sql.exec', outcome: 'success', correlationId: CID_B, ip: '203.0.113.8', wokId: 'w1' }),
    ].join('\n') + '\n',
  );

  // The wok's db container: labels only in config.v2.json. The db shut down as request A ran.
  const db: ContainerSpec = { id: containerId('db'), name: 'wok-w1-db', image: 'postgres:16', labels: { 'tellwang.wok': 'w1', 'tellwang.role': 'db' }, created: tA - 7_200_000 };
  const pg = (l: PgLineInput, stream: 'stderr' | 'stdout' = 'stderr') => ({ text: pgLine(l), stream, time: l.time, ns: 123456 });
  const rotatedDb = dockerLog(db, pgStartup(tA - 3_600_000).map((l) => pg(l)));
  const liveDb = dockerLog(db, [
    pg({ time: tA - 60_000, pid: 301, application: 'cp:0000000000000001', severity: 'LOG', message: 'duration: 0.412 ms' }),
    ...pgShutdown(start - 2).slice(0, 2).map((l) => pg(l)),
    pg({ time: start, pid: 302, application: `cp:${CID_A.toUpperCase()}`, severity: 'FATAL', message: 'terminating connection due to administrator command' }),
    pg({ time: start + 1, pid: 302, application: `cp:${CID_A}`, severity: 'STATEMENT', message: 'select 1' }),
    ...pgShutdown(start - 2).slice(2).map((l) => pg(l)),
    ...pgStartup(tA + 4000).map((l) => pg(l)),
  ]);
  writeContainer(path.join(root, 'containers'), db, liveDb, [rotatedDb]);

  // The functions runtime: no config.v2.json; the daemon puts the labels on every record.
  const fn: ContainerSpec = { id: containerId('fn'), name: 'wok-w1-fn', image: 'tellwang/functions:3', labels: { 'tellwang.wok': 'w1', 'tellwang.role': 'functions' }, created: tA - 7_200_000, config: false, attrs: true };
  const rt = capturePino({ wok_id: 'w1' });
  rt.setTime(start);
  rt.logger.child({ correlation_id: CID_A }).warn({ err: Object.assign(new Error('connect ECONNREFUSED 172.18.0.4:5432'), { code: 'ECONNREFUSED' }) }, 'db connection lost');
  rt.logger.child({ correlation_id: CID_A }).info({ payload: 'x'.repeat(40_000) }, 'large trigger payload');
  rt.logger.info('functions runtime listening on 0.0.0.0:8080');
  const [lost, large, listening] = rt.take();
  writeContainer(
    path.join(root, 'containers'),
    fn,
    dockerLog(fn, [
      { text: lost!, stream: 'stderr', time: start + 2 },
      { text: large!, stream: 'stdout', time: start + 3 },
      { text: listening!, stream: 'stdout', time: tA - 600_000 },
    ]),
  );

  mkdirSync(path.join(root, 'misc', 'deeper'), { recursive: true });
  writeFileSync(path.join(root, 'misc', 'deeper', 'notes.txt'), 'restarted the db by hand\n{"note":"json of no known format"}\n\n{broken json\n');
  writeFileSync(path.join(root, 'misc', 'ignored.gz'), 'not a log');
  return { root, runA, runB, tA, db, fn, heldLine };
}

describe('ingest of a directory tree, end to end', () => {
  const tmp = tempDir('tellwang-ingest-');
  let world: World;
  let store: SqliteStore;
  let first: IngestReport;

  beforeAll(async () => {
    world = await buildWorld(path.join(tmp.dir, 'logs'));
    store = new SqliteStore(path.join(tmp.dir, 'diag.sqlite'));
    await store.putInventory({ orgs: [{ slug: 'acme' }], woks: [{ id: 'w1', org: 'acme', status: 'active' }], keys: [{ prefix: key.prefix, sha256: key.sha256, org: 'acme', user: 'ana@acme.test', kind: 'skl' }] });
    first = await ingestPaths(store, [world.root]);
  });
  afterAll(async () => {
    await store.close();
    tmp.remove();
  });

  it('reads every stream and counts each source', () => {
    const paths = first.streams.map((s) => path.relative(world.root, s.path!)).sort();
    expect(paths).toEqual(
      [
        'audit/audit.log',
        'cp/cp-a.log',
        'cp/cp-b.log',
        `containers/${world.db.id}/${world.db.id}-json.log`,
        `containers/${world.db.id}/${world.db.id}-json.log.1`,
        `containers/${world.fn.id}/${world.fn.id}-json.log`,
        'misc/deeper/notes.txt',
      ].sort(),
    );
    expect(first.events.cp).toBe(world.runA.lines.length + world.runB.lines.length - 1);
    expect(first.events.audit).toBe(2);
    // db: 5 rotated + 1 + 6 shutdown + 2 session + 5 startup; fn: 3 (one of them joined from 3 records).
    expect(first.events.container).toBe(5 + 1 + 6 + 2 + 5 + 3);
    expect(first.unparsed).toBe(3);
    expect(first.stored).toBe(first.events.cp + first.events.audit + first.events.container);
    expect(first.duplicates).toBe(0);
  });

  it('holds back a last line without its newline', () => {
    const b = first.streams.find((s) => s.path!.endsWith('cp-b.log'))!;
    expect(b.pendingBytes).toBe(Buffer.byteLength(world.heldLine));
    const others = first.streams.filter((s) => s !== b);
    for (const s of others) expect(s.pendingBytes, s.path!).toBe(0);
  });

  it('keeps unparsed lines with their file and line number', async () => {
    const page = await store.unparsed(null, 100);
    const notes = path.join(world.root, 'misc', 'deeper', 'notes.txt');
    expect(page.items.map((u) => [u.path, u.line, u.reason]).sort()).toEqual(
      [
        [notes, 1, 'not JSON and not a PostgreSQL log line'],
        [notes, 2, 'JSON, but no known format (pino, Docker json-file, audit, journald, PostgreSQL jsonlog)'],
        [notes, 4, 'not valid JSON'],
      ].sort(),
    );
  });

  it('takes the labels from attrs, or from config.v2.json when the records carry none', async () => {
    const ev = await store.eventsByCid(CID_A);
    const containers = ev.filter((e): e is ContainerEvent => e.source === 'container').map((e) => e.container);
    const db = containers.find((c) => c.role === 'db')!;
    expect(db).toEqual({ id: world.db.id, name: 'wok-w1-db', wok: 'w1', role: 'db', image: 'postgres:16' });
    const fn = containers.find((c) => c.role === 'functions')!;
    expect(fn).toMatchObject({ wok: 'w1', role: 'functions' });
  });

  it('the ticket joins cp, container and audit lines in time order, with the cp:<cid> PostgreSQL lines and the db shutdown as context', async () => {
    const t = (await buildTicket(store, catalog, CID_A))!;
    expect(t).not.toBeNull();
    const times = t.events.map((e) => e.time);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(new Set(t.events.map((e) => e.source))).toEqual(new Set(['cp', 'container', 'audit']));
    const pgLines = t.events.filter((e) => e.source === 'container' && e.format === 'postgres').map((e) => e.message);
    expect(pgLines).toEqual(['terminating connection due to administrator command', 'select 1']);
    const fnLines = t.events.filter((e) => e.source === 'container' && e.format === 'pino');
    expect(fnLines.map((e) => e.message)).toEqual(['db connection lost', 'large trigger payload']);
    expect((fnLines[1]!.fields.payload as string).length).toBe(40_000);
    expect(fnLines[1]!.fields._parts).toBe(3);
    expect(t.events.filter((e) => e.source === 'cp').map((e) => e.message)).toEqual(['wok resolved', 'exec_sql failed', 'request errored']);

    expect(t.request).toMatchObject({ method: 'POST', path: '/v1/woks/w1/sql', status: 502, wok: 'w1', org: 'acme', user: 'ana@acme.test', keyPrefix: key.prefix });
    expect(t.error).toMatchObject({ code: 'CP_EXEC_SQL_FAILED' });
    expect(t.remediation).toMatchObject({ kind: 'catalogued', code: 'CP_EXEC_SQL_FAILED', http: 502, fixSide: 'state' });

    const context = t.context.map((e) => [e.message, (e as ContainerEvent).lifecycle]);
    expect(context).toEqual(
      expect.arrayContaining([
        ['received fast shutdown request', 'stopping'],
        ['database system is shut down', 'shutdown'],
        ['database system is ready to accept connections', 'ready'],
      ]),
    );
    for (const e of t.context) expect(e.cid).not.toBe(CID_A);
    // The rotated file's start an hour before is outside the window.
    expect(t.context.every((e) => e.time >= t.window!.from && e.time <= t.window!.to)).toBe(true);
  });

  it('the other configuration: correlation_id on every line, req.id a counter', async () => {
    const t = (await buildTicket(store, catalog, CID_B))!;
    expect(t.request).toMatchObject({ method: 'POST', path: '/v1/woks/w1/sql', status: 502, wok: 'w1' });
    expect(t.events.map((e) => e.source)).toEqual(['cp', 'cp', 'cp', 'audit']);
    expect(t.error?.code).toBe('CP_EXEC_SQL_FAILED');
  });

  it('stores nothing twice when the same paths are ingested again', async () => {
    const again = await ingestPaths(store, [world.root]);
    expect(again.stored).toBe(0);
    expect(again.unparsed).toBe(0);
    expect(again.lines).toBe(0);
    const stats = await store.stats();
    expect(stats.events.cp + stats.events.container + stats.events.audit).toBe(first.stored);
    expect(stats.unparsed).toBe(3);
  });

  it('--final takes the held line; the 404 logged at info is a failed request', async () => {
    const done = await ingestPaths(store, [world.root], { final: true });
    expect(done.stored).toBe(1);
    expect(done.events.cp).toBe(1);
    const cid404 = world.runB.responses[1]!.cid;
    const t = (await buildTicket(store, catalog, cid404))!;
    expect(t.request).toMatchObject({ method: 'GET', path: '/v1/orgs/nope', status: 404 });
    expect(t.error).toMatchObject({ code: 'CP_ORG_NOT_FOUND' });
    const page = await store.search({ failed: true });
    expect(page.items.map((r) => r.cid).sort()).toEqual([CID_A, CID_B, cid404].sort());
    const after = await ingestPaths(store, [world.root], { final: true });
    expect(after.stored).toBe(0);
  });

  it('new lines appended later are read from the checkpoint, once', async () => {
    const log = path.join(world.root, 'audit', 'audit.log');
    appendFileSync(log, auditLine({ time: world.tA + 9000, actor: 'ana@acme.test', org: 'acme', action: 'wok.restart', outcome: 'success', correlationId: CID_A, ip: '203.0.113.7', wokId: 'w1' }) + '\n');
    const r = await ingestPaths(store, [log]);
    expect([r.lines, r.stored, r.events.audit]).toEqual([1, 1, 1]);
    const audit = r.streams[0]!;
    expect(audit.path).toBe(log);
    const t = (await buildTicket(store, catalog, CID_A))!;
    expect(t.events.filter((e: Event) => e.source === 'audit').map((e) => e.message)).toEqual([
      'ana@acme.test wok.sql.exec → failure',
      'ana@acme.test wok.restart → success',
    ]);
  });
});

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
