/**
 * The CLI on a PostgreSQL store: `--db postgres://…?schema=…` (and DIAG_DB)
 * for every command, in a scratch schema of the machine's PostgreSQL that is
 * dropped afterwards. Real cp lines (the real pino-http) and an audit line
 * are ingested (on one thread, --threads 0: the parser threads are
 * postgres-bulk-ingest.test.ts's), the ticket is read back,
 * stats and prune answer, and `serve --follow` — whose follower opens its own
 * connection on a worker thread — turns a line appended later into a ticket
 * over HTTP. The URL's password never appears in what the commands print.
 */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLine } from '../../scripts/formats/audit-log.js';
import { dropSchema, PG_URL, scratchSchemaName } from '../store/pg-scratch.js';
import { requireBuiltCli, runCli, startServe } from '../fixtures/built-cli.js';
import { runCp, type CpRun } from '../fixtures/cp-app.js';
import { tempDir, type TempDir } from '../fixtures/temp-dir.js';

const schema = scratchSchemaName('cli');
const PASSWORD = 'pw-never-printed-7c1e';
// Trust authentication ignores the password: it is here to prove it is never echoed.
const URL_WITH_PASSWORD = `${PG_URL.replace('postgres://postgres@', `postgres://postgres:${PASSWORD}@`)}?schema=${schema}`;

let tmp: TempDir;
let run: CpRun;
let failed = '';
const outputs: string[] = [];

async function cli(args: string[], o: { input?: string; env?: Record<string, string> } = {}) {
  const r = await runCli(args, o);
  outputs.push(r.out, r.err);
  return r;
}

beforeAll(async () => {
  requireBuiltCli();
  tmp = tempDir('tellwang-pg-cli-');
  mkdirSync(tmp.file('logs'));
  run = await runCp('correlation-id', [
    { method: 'GET', path: '/v1/woks/w1' },
    { method: 'POST', path: '/v1/woks/w1/sql' },
  ]);
  failed = run.responses[1]!.cid;
  const t = (JSON.parse(run.lines[0]!) as { time: number }).time;
  writeFileSync(tmp.file('logs', 'cp.log'), run.lines.join('\n') + '\n');
  writeFileSync(
    tmp.file('logs', 'audit.log'),
    auditLine({ time: t + 5, actor: 'ana@acme.test', org: 'acme', action: 'wok.sql.exec', outcome: 'failure', correlationId: failed, ip: '203.0.113.7', wokId: 'w1' }) + '\n',
  );
});

afterAll(async () => {
  tmp?.remove();
  await dropSchema(schema);
  for (const text of outputs) expect(text).not.toContain(PASSWORD);
});

describe('the CLI with a postgres:// store', () => {
  it('ingest (one thread), ticket, stats, unparsed and prune in the scratch schema; a re-ingest stores nothing twice', async () => {
    const ingest = await cli(['ingest', '--db', URL_WITH_PASSWORD, '--threads', '0', '--json', tmp.file('logs')]);
    expect([ingest.code, ingest.err]).toEqual([0, '']);
    const report = JSON.parse(ingest.out) as { events: Record<string, number>; stored: number; unparsed: number };
    expect(report.events).toEqual({ cp: run.lines.length, container: 0, audit: 1 });
    expect(report.stored).toBe(run.lines.length + 1);
    // The rows are in the schema the URL names.
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    try {
      const n = await client.query<{ n: string }>(`SELECT sum(n) AS n FROM "${schema}".blocks`);
      expect(Number(n.rows[0]!.n)).toBe(run.lines.length + 1);
    } finally {
      await client.end();
    }

    // DIAG_DB works as --db does.
    const ticket = await cli(['ticket', failed, '--json'], { env: { DIAG_DB: URL_WITH_PASSWORD } });
    expect(ticket.code).toBe(0);
    const t = JSON.parse(ticket.out) as { correlation_id: string; request: { status: number; wok: string }; error: { code: string; message: string }; events: { source: string }[] };
    expect(t).toMatchObject({ correlation_id: failed, request: { status: 502, wok: 'w1' }, error: { code: 'CP_EXEC_SQL_FAILED', message: 'docker exec into the db container failed' } });
    expect(t.events.map((e) => e.source).sort()).toEqual(['audit', 'cp', 'cp', 'cp']);

    const stats = await cli(['stats', '--db', URL_WITH_PASSWORD, '--json']);
    expect(stats.code).toBe(0);
    expect(JSON.parse(stats.out)).toMatchObject({ events: { cp: run.lines.length, container: 0, audit: 1 }, unparsed: 0, correlation_ids: 2 });
    expect((await cli(['unparsed', '--db', URL_WITH_PASSWORD, '--json'])).out).toContain('"items": []');

    const again = JSON.parse((await cli(['ingest', '--db', URL_WITH_PASSWORD, '--json', tmp.file('logs')])).out) as { stored: number };
    expect(again.stored).toBe(0);

    const prune = await cli(['prune', '--db', URL_WITH_PASSWORD, '--before', '1000', '--json']);
    expect(prune.code).toBe(0);
    expect(JSON.parse(prune.out)).toMatchObject({ removed_events: 0, dropped_days: [], db_bytes_before: null, db_bytes_after: null });
    // A cutoff at a midnight after every line: their days are dropped whole, and said.
    const midnight = (Math.floor(Date.now() / 86_400_000) + 1) * 86_400_000;
    const drop = await cli(['prune', '--db', URL_WITH_PASSWORD, '--before', new Date(midnight).toISOString(), '--json']);
    expect(drop.code).toBe(0);
    const dropped = JSON.parse(drop.out) as { removed_events: number; dropped_days: { day: string; events: number; partitions: string[] }[] };
    expect(dropped.removed_events).toBe(run.lines.length + 1);
    expect(dropped.dropped_days.reduce((n, d) => n + d.events, 0)).toBe(run.lines.length + 1);
    for (const d of dropped.dropped_days) {
      expect(Date.parse(`${d.day}T00:00:00Z`)).toBeLessThan(midnight);
      expect(d.partitions).toContain(`blocks_d${d.day.replaceAll('-', '')}`);
    }
  });

  it('serve --follow on the URL: an operator token made by the CLI reads a ticket for a line appended after the start; SIGTERM at once after the banner still exits 0', async () => {
    const token = (await cli(['tokens', 'create', '--name', 'pg-ops', '--db', URL_WITH_PASSWORD])).out.trim();
    expect(token).toMatch(/^sdo_/);
    const live = tmp.file('live');
    mkdirSync(live);
    writeFileSync(path.join(live, 'cp.log'), '');
    const s = await startServe(['--db', URL_WITH_PASSWORD, '--follow', live]);
    try {
      expect(s.output()).toContain(`(store PostgreSQL at 127.0.0.1:5432/test, schema ${schema})`);
      const more = await runCp('correlation-id', [{ method: 'GET', path: '/v1/woks/w2' }]);
      appendFileSync(path.join(live, 'cp.log'), more.lines.join('\n') + '\n');
      const cid = more.responses[0]!.cid;
      let status = 0;
      for (let i = 0; i < 150 && status !== 200; i++) {
        await new Promise((r) => setTimeout(r, 100));
        status = (await fetch(`${s.url}/v1/tickets/${cid}`, { headers: { authorization: `Bearer ${token}` } })).status;
      }
      expect(status).toBe(200);
    } finally {
      outputs.push(s.output());
      expect(await s.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    }
    const quick = await startServe(['--db', URL_WITH_PASSWORD]);
    expect(await quick.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    outputs.push(quick.output());
  });

  it('an unreachable server is one clear line and exit 1, naming the server but not the password', async () => {
    const r = await cli(['ticket', failed, '--db', `postgres://postgres:${PASSWORD}@127.0.0.1:1/test?schema=${schema}`]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^tellwang-diag: .*127\.0\.0\.1:1/);
    expect(r.err.trim().split('\n')).toHaveLength(1);
  });
});
