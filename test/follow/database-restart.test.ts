/**
 * The database restarts under the long-running commands: a PostgreSQL of the
 * test's own (private-postgres.ts) is stopped (`pg_ctl stop -m fast`: every
 * connection cut with 57P01, new ones refused) and started again a few
 * seconds later, three times, each time just after a large burst of lines
 * was appended — so a batch is being written when the server goes — while a
 * real `ingest --follow` and a real `serve --follow` (the built CLI, each in
 * a schema of its own) follow the same growing files: cp lines as pino
 * writes them and a functions container's Docker json-file log.
 *
 * At the end both are still running, every line is in each store exactly
 * once (by correlation id, each line has its own), the server answers
 * /healthz and a ticket and takes a pushed batch, both logged the pause and the resume, the server's
 * `ingest` check said it was paused during an outage, and `stats` names the
 * last outage. Needs `npx tsc -p tsconfig.json` first (it runs dist/).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containerConfig, dockerRecords } from '../../scripts/formats/docker-json-file.js';
import { CLI, requireBuiltCli, runCli, startServe, type Serving } from '../fixtures/built-cli.js';
import { startPrivatePostgres, type PrivatePostgres } from '../fixtures/private-postgres.js';
import { tempDir, type TempDir } from '../fixtures/temp-dir.js';
import { waitFor } from '../fixtures/wait-for.js';
import { BASE_TIME, cidOf, lineText } from './follow-model.js';

const CP_LINES = 8000;
const FN_LINES = 900;
const FN_BASE = 500_000;
const PUSHED = 900_000;
const RESTARTS = 3;
const CONTAINER = 'fe'.repeat(32);

let db: PrivatePostgres | null = null;
let tmp: TempDir;
let ingest: ChildProcess | null = null;
let ingestLog = '';
let server: Serving | null = null;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  requireBuiltCli();
  tmp = tempDir('diag-db-restart-');
  db = await startPrivatePostgres();
}, 120_000);

afterAll(async () => {
  if (ingest && ingest.exitCode === null && ingest.signalCode === null) ingest.kill('SIGKILL');
  if (server) await server.stop('SIGKILL');
  await db?.stop();
  tmp?.remove();
}, 120_000);

function fnLine(n: number): string {
  return JSON.stringify({ level: 50, time: BASE_TIME + n, msg: `handler failed ${n}`, correlation_id: cidOf(FN_BASE + n) });
}

/** Appends cp lines [from, to) and the functions lines that go with them (one for every ~7 cp lines). */
function append(logs: string, from: number, to: number): void {
  let cp = '';
  for (let n = from; n < to; n++) cp += lineText(n) + '\n';
  appendFileSync(path.join(logs, 'cp.log'), cp);
  const fFrom = Math.floor((from * FN_LINES) / CP_LINES);
  const fTo = Math.floor((to * FN_LINES) / CP_LINES);
  let fn = '';
  for (let n = fFrom; n < fTo; n++) fn += dockerRecords({ text: fnLine(n), stream: 'stderr', time: BASE_TIME + n }).join('');
  if (fn) appendFileSync(path.join(logs, 'containers', CONTAINER, `${CONTAINER}-json.log`), fn);
}

/** Per schema: how many events there are, and correlation ids stored other than once. */
async function tally(schema: string): Promise<{ events: number; cids: number; wrong: string[] }> {
  const c = new pg.Client({ connectionString: db!.url });
  await c.connect();
  try {
    const n = await c.query<{ events: string; cids: string }>(
      `SELECT (SELECT coalesce(sum(n), 0) FROM "${schema}".blocks) AS events, (SELECT count(DISTINCT cid) FROM "${schema}".block_cids) AS cids`,
    );
    // Every line has an id of its own: an id in more than one block is a line stored twice.
    const wrong = await c.query<{ cid: string; n: string }>(`SELECT cid, count(*) AS n FROM "${schema}".block_cids GROUP BY cid HAVING count(*) <> 1 ORDER BY cid LIMIT 20`);
    return { events: Number(n.rows[0]!.events), cids: Number(n.rows[0]!.cids), wrong: wrong.rows.map((r) => `${r.cid}: ${r.n}`) };
  } finally {
    await c.end();
  }
}

describe('a PostgreSQL restart under ingest --follow and serve --follow', () => {
  it('both ride it out, mid-write too: every line exactly once, both still running and answering', async () => {
    const logs = tmp.file('logs');
    mkdirSync(path.join(logs, 'containers', CONTAINER), { recursive: true });
    writeFileSync(path.join(logs, 'cp.log'), '');
    writeFileSync(
      path.join(logs, 'containers', CONTAINER, 'config.v2.json'),
      containerConfig({ id: CONTAINER, name: 'wok-9-fn', image: 'tellwang/fn:3', labels: { 'tellwang.wok': 'wok-9', 'tellwang.role': 'functions' }, created: BASE_TIME - 1000 }),
    );
    writeFileSync(path.join(logs, 'containers', CONTAINER, `${CONTAINER}-json.log`), '');
    const ingestDb = `${db!.url}?schema=ride_ingest`;
    const serveDb = `${db!.url}?schema=ride_serve`;

    const token = await runCli(['tokens', 'create', '--name', 'ops', '--db', serveDb]);
    expect(token.code).toBe(0);
    const auth = { authorization: `Bearer ${token.out.trim()}` };

    ingest = spawn(process.execPath, [CLI, 'ingest', '--follow', logs, '--db', ingestDb], { stdio: ['ignore', 'pipe', 'pipe'] });
    ingest.stdout!.on('data', (b: Buffer) => (ingestLog += b.toString()));
    ingest.stderr!.on('data', (b: Buffer) => (ingestLog += b.toString()));
    server = await startServe(['--db', serveDb, '--follow', logs], { env: { DIAG_LOG_LEVEL: 'info' }, timeoutMs: 60_000 });
    await waitFor('ingest --follow to start', async () => (/following 1 path/.test(ingestLog) ? true : null), 30_000);

    // The ingest check, read while the database is away (the server's own store cannot read it either).
    const checks: string[] = [];
    const readChecks = async (ms: number) => {
      const until = Date.now() + ms;
      while (Date.now() < until) {
        const r = await fetch(`${server!.url}/v1/diag/ingest`, { signal: AbortSignal.timeout(20_000) });
        checks.push(await r.text());
        await sleep(500);
      }
    };

    let written = 0;
    const steady = async (ms: number) => {
      const until = Date.now() + ms;
      while (Date.now() < until) {
        const to = Math.min(CP_LINES, written + 5);
        if (to > written) append(logs, written, to);
        written = to;
        await sleep(20);
      }
    };
    await steady(1500);
    for (let r = 0; r < RESTARTS; r++) {
      // A burst, then the server goes while the followers write it.
      const to = Math.min(CP_LINES, written + 1200);
      append(logs, written, to);
      written = to;
      await sleep(150 + r * 100);
      await db!.down();
      // Lines keep coming while the database is away.
      await Promise.all([steady(2500), readChecks(2500)]);
      await db!.up();
      await steady(1500);
    }
    if (written < CP_LINES) {
      append(logs, written, CP_LINES);
      written = CP_LINES;
    }

    const want = CP_LINES + FN_LINES;
    const alive = () => {
      if (ingest!.exitCode !== null || ingest!.signalCode !== null) throw new Error(`ingest --follow ended: ${ingestLog.slice(-3000)}`);
      if (server!.child.exitCode !== null || server!.child.signalCode !== null) throw new Error(`serve --follow ended: ${server!.output().slice(-3000)}`);
    };
    for (const schema of ['ride_ingest', 'ride_serve']) {
      await waitFor(`${schema} to hold every line`, async () => (alive(), (await tally(schema)).events >= want ? true : null), 120_000);
    }
    // A moment more: anything stored twice would show now.
    await sleep(1000);
    for (const schema of ['ride_ingest', 'ride_serve']) {
      expect({ schema, ...(await tally(schema)) }).toEqual({ schema, events: want, cids: want, wrong: [] });
    }

    // Both still running; the server answers.
    expect([ingest.exitCode, ingest.signalCode]).toEqual([null, null]);
    expect([server.child.exitCode, server.child.signalCode]).toEqual([null, null]);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    const ticket = await fetch(`${server.url}/v1/tickets/${cidOf(CP_LINES - 1)}`, { headers: auth });
    expect(ticket.status).toBe(200);
    const fnTicket = (await (await fetch(`${server.url}/v1/tickets/${cidOf(FN_BASE + FN_LINES - 1)}`, { headers: auth })).json()) as { events: { source: string }[] };
    expect(fnTicket.events.map((e) => e.source)).toEqual(['container']);
    // The push thread, whose connections the restarts cut too, still takes a batch.
    const pushed = await fetch(`${server.url}/v1/ingest`, { method: 'POST', headers: { ...auth, 'content-type': 'application/x-ndjson' }, body: lineText(PUSHED) + '\n' });
    expect([pushed.status, await pushed.json()]).toMatchObject([200, { accepted: 1 }]);
    expect((await fetch(`${server.url}/v1/tickets/${cidOf(PUSHED)}`, { headers: auth })).status).toBe(200);

    // Both said they paused and resumed; at least one pause cut a write in flight.
    const serverLog = server.output();
    for (const [who, log] of [['ingest --follow', ingestLog], ['serve --follow', serverLog]] as const) {
      expect({ who, paused: /ingest paused: /.test(log), resumed: /ingest resumed after /.test(log) }).toEqual({ who, paused: true, resumed: true });
      expect({ who, crashed: /Unhandled 'error'|follow worker exited|stopped unexpectedly/.test(log) }).toEqual({ who, crashed: false });
    }
    expect(`${ingestLog}\n${serverLog}`).toMatch(/ingest paused: writing a batch: /);
    // During an outage the ingest check was not a quiet pass: its `writes` reading (what anyone may see of it: signing
    // in needs the database too) said the follow thread was not writing.
    const writes = checks.map((c) => (JSON.parse(c) as { checks: Record<string, { status: string }[]> }).checks['ingest:writes']?.[0]?.status ?? 'none');
    expect(writes.filter((w) => w === 'warn' || w === 'fail').length, checks.join('\n')).toBeGreaterThan(0);

    // `stats` shows each one writing again, and the outage it rode out: the error and how long ingest was paused.
    type Ingester = { ingester: string; state: string; last_store_error: { message: string; paused_ms: number | null } | null };
    const ingesters = async (url: string) => {
      const r = await runCli(['stats', '--json', '--db', url]);
      expect(r.code, r.err).toBe(0);
      return (JSON.parse(r.out) as { ingesters: Ingester[] }).ingesters;
    };
    for (const [url, command] of [[ingestDb, 'ingest --follow'], [serveDb, 'serve --follow']] as const) {
      const [i, ...others] = await ingesters(url);
      expect(others).toEqual([]);
      expect(i).toMatchObject({ state: 'writing', last_store_error: { message: expect.stringMatching(/cannot reach PostgreSQL|cannot serve now/) as unknown } });
      expect(i!.ingester.startsWith(`${command} on `)).toBe(true);
      expect(i!.last_store_error!.paused_ms).toBeGreaterThan(1000);
    }
    const text = await runCli(['stats', '--db', ingestDb]);
    expect(text.out).toMatch(/^ingest {7}ingest --follow on .*: writing since \S+\n {13}last store error \S+ \(paused \d+\.\d s\): /m);

    ingest.kill('SIGTERM');
    const ended = await new Promise<number | null>((r) => ingest!.once('exit', (code) => r(code)));
    expect(ended).toBe(0);
    expect(await server.stop()).toEqual({ code: 0, signal: null });
    server = null;
    for (const url of [ingestDb, serveDb]) expect((await ingesters(url)).map((i) => i.state)).toEqual(['stopped']);
  }, 240_000);
});
