/**
 * `ingest --threads 2` into PostgreSQL: the built CLI, spawned as a user runs
 * it, reads real log files (the real pino-http's lines and many more of a
 * child logger, an audit log, a wok's db container as Docker stores it, a file
 * of junk) on parser threads into a scratch schema, in pieces and
 * transactions bounded by the store, and answers the same ticket, stats and
 * unparsed lines as the same files ingested into SQLite. Ingesting again
 * stores nothing twice.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLine } from '../../scripts/formats/audit-log.js';
import { capturePino } from '../../scripts/formats/pino-lines.js';
import { pgLine, pgShutdown } from '../../scripts/formats/postgres-log.js';
import { PG_BULK_LIMITS } from '../../src/store/postgres/postgres-store.js';
import { requireBuiltCli, runCli } from '../fixtures/built-cli.js';
import { runCp, type CpRun } from '../fixtures/cp-app.js';
import { containerId, dockerLog, writeContainer, type ContainerSpec } from '../fixtures/docker-dir.js';
import { tempDir, type TempDir } from '../fixtures/temp-dir.js';
import { dropSchema, PG_URL, scratchSchemaName } from '../store/pg-scratch.js';

/** Lines of a child logger in the cp's log: more than one PostgreSQL transaction of a bulk ingest holds. */
const FILLER = 2 * PG_BULK_LIMITS.commitLines + 1500;

const schema = scratchSchemaName('bulk_cli');
const PG_DB = `${PG_URL}?schema=${schema}`;

let tmp: TempDir;
let logs: string;
let sqliteDb: string;
let run: CpRun;
let failed = '';
let lines = 0;
let containerLines = 0;

beforeAll(async () => {
  requireBuiltCli();
  tmp = tempDir('tellwang-pg-bulk-');
  logs = tmp.file('logs');
  sqliteDb = tmp.file('diag.sqlite');
  mkdirSync(logs);
  run = await runCp('correlation-id', [
    { method: 'GET', path: '/v1/woks/w1' },
    { method: 'POST', path: '/v1/woks/w1/sql' },
  ]);
  failed = run.responses[1]!.cid;
  const t0 = (JSON.parse(run.lines[0]!) as { time: number }).time;
  // The failed request's id also appears on lines spread over the whole file, so its ticket reads events of many pieces.
  const before = capturePino({}, 'cp-1');
  const after = capturePino({}, 'cp-1');
  for (let i = 0; i < FILLER; i++) {
    const p = i < FILLER / 2 ? before : after;
    p.setTime(t0 - 60_000 + i);
    const cid = i % 2000 === 7 ? failed : (i * 7919).toString(16).padStart(16, '0').slice(-16);
    p.logger.child({ correlation_id: cid }).info({ wok_id: 'w1', step: i }, `step ${i} of the sql pipeline`);
  }
  const cpLines = [...before.take(), ...run.lines, ...after.take()];
  writeFileSync(path.join(logs, 'cp.log'), cpLines.join('\n') + '\n');
  writeFileSync(
    path.join(logs, 'audit.log'),
    auditLine({ time: t0 + 5, actor: 'ana@acme.test', org: 'acme', action: 'wok.sql.exec', outcome: 'failure', correlationId: failed, ip: '203.0.113.7', wokId: 'w1' }) + '\n',
  );
  const db: ContainerSpec = { id: containerId('bulk-pg'), name: 'wok-w1-db', image: 'postgres:16', labels: { 'tellwang.wok': 'w1', 'tellwang.role': 'db' }, created: t0 - 120_000 };
  const pgLines = [
    ...pgShutdown(t0 - 1000).map((l) => ({ text: pgLine(l), stream: 'stderr' as const, time: l.time })),
    { text: pgLine({ time: t0 + 3, pid: 9, application: `cp:${failed}`, severity: 'ERROR', message: 'permission denied for table t' }), stream: 'stderr' as const, time: t0 + 3 },
  ];
  writeContainer(path.join(logs, 'containers'), db, dockerLog(db, pgLines));
  writeFileSync(path.join(logs, 'junk.txt'), 'hello\nnot a log line either\n');
  containerLines = pgLines.length;
  lines = cpLines.length + 1 + containerLines + 2;
});

afterAll(async () => {
  tmp?.remove();
  await dropSchema(schema);
});

interface IngestJson {
  events: Record<string, number>;
  stored: number;
  unparsed: number;
  lines: number;
  seconds: number;
  lines_per_second: number | null;
}

async function ingest(db: string): Promise<IngestJson> {
  const r = await runCli(['ingest', '--db', db, '--threads', '2', '--json', logs], { timeoutMs: 120_000 });
  expect([r.code, r.err]).toEqual([0, '']);
  return JSON.parse(r.out) as IngestJson;
}

async function json(args: string[]): Promise<unknown> {
  const r = await runCli(args);
  expect([r.code, r.err]).toEqual([0, '']);
  return JSON.parse(r.out);
}

describe('ingest --threads into PostgreSQL', () => {
  it('stores every line of the files on parser threads, and the same ticket, stats and unparsed lines as SQLite', async () => {
    const intoPg = await ingest(PG_DB);
    expect(intoPg.lines).toBe(lines);
    expect(intoPg.events).toEqual({ cp: FILLER + run.lines.length, container: containerLines, audit: 1 });
    expect(intoPg.unparsed).toBe(2);
    expect(intoPg.stored).toBe(lines - 2);
    // The same report but for the time taken.
    const { seconds: _s, lines_per_second: _l, ...report } = intoPg;
    expect(await ingest(sqliteDb)).toMatchObject(report);

    // The rows are in the schema the URL names, each line once.
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    try {
      const n = await client.query<{ n: string }>(`SELECT sum(n) AS n FROM "${schema}".blocks`);
      expect(n.rows[0]).toEqual({ n: String(lines - 2) });
      // No two blocks of a stream hold the same offsets.
      const overlap = await client.query<{ n: string }>(
        `SELECT count(*) AS n FROM "${schema}".blocks a JOIN "${schema}".blocks b ON a.stream = b.stream AND a.off0 < b.off0 AND b.off0 <= a.off1`,
      );
      expect(overlap.rows[0]).toEqual({ n: '0' });
      // The days it wrote were analysed at its end (the server's autovacuum may never get there): those days' partitions
      // of the tables it fills, and no other day's.
      const days = await client.query<{ d: string }>(`SELECT DISTINCT substring(tableoid::regclass::text from '_d([0-9]{8})$') AS d FROM "${schema}".blocks`);
      const want = days.rows.flatMap(({ d }) => ['audits', 'block_cids', 'blocks', 'lifecycle', 'requests', 'unparsed'].map((t) => `${t}_d${d}`)).sort();
      const analysed = await client.query<{ relname: string }>(`SELECT relname FROM pg_stat_user_tables WHERE schemaname = $1 AND last_analyze IS NOT NULL AND relname ~ '_d[0-9]{8}$'`, [schema]);
      expect(analysed.rows.map((r) => r.relname).sort()).toEqual(want);
      // Rows of one transaction share its xmin: none holds more lines than the store's bound.
      const tx = await client.query<{ n: string }>(`SELECT sum(n) AS n FROM "${schema}".blocks GROUP BY xmin::text ORDER BY 1 DESC`);
      expect(tx.rows.length).toBeGreaterThanOrEqual(Math.ceil(FILLER / PG_BULK_LIMITS.commitLines));
      expect(Number(tx.rows[0]!.n)).toBeLessThanOrEqual(PG_BULK_LIMITS.commitLines);
    } finally {
      await client.end();
    }

    const ticket = await json(['ticket', failed, '--json', '--db', PG_DB]);
    expect(ticket).toMatchObject({ correlation_id: failed, request: { status: 502, wok: 'w1' }, error: { code: 'CP_EXEC_SQL_FAILED' } });
    expect((ticket as { events: unknown[] }).events.length).toBeGreaterThan(FILLER / 2000);
    expect(ticket).toEqual(await json(['ticket', failed, '--json', '--db', sqliteDb]));

    // Every count and checkpoint alike; when each file's row was last written differs.
    const stats = async (db: string) => {
      const j = (await json(['stats', '--json', '--db', db])) as { files: { updated_at?: string }[] };
      for (const f of j.files) delete f.updated_at;
      return j;
    };
    const st = await stats(PG_DB);
    expect(st).toMatchObject({ events: intoPg.events, unparsed: 2, lag_bytes: 0 });
    expect(st).toEqual(await stats(sqliteDb));
    // The same unparsed lines; each is timed when it was read.
    const unparsed = async (db: string) => {
      const j = (await json(['unparsed', '--json', '--db', db])) as { items: { time?: number }[] };
      for (const u of j.items) delete u.time;
      return j;
    };
    const junk = await unparsed(PG_DB);
    expect(junk.items).toMatchObject([{ head: 'not a log line either', line: 2 }, { head: 'hello', line: 1 }]);
    expect(junk).toEqual(await unparsed(sqliteDb));
    // Eight CLI processes, two of them ingests on parser threads: bounded, but not by the default 30 s on a busy machine.
  }, 120_000);

  it('ingesting the files again stores nothing', async () => {
    const again = await ingest(PG_DB);
    expect(again).toMatchObject({ stored: 0, lines: 0, events: { cp: 0, container: 0, audit: 0 } });
    const st = (await json(['stats', '--json', '--db', PG_DB])) as { events: Record<string, number> };
    expect(st.events.cp).toBe(FILLER + run.lines.length);
  });
});
