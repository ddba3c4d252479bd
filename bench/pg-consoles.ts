/**
 * Several consoles on one PostgreSQL, timed (`--pg URL`, unless
 * --no-consoles): the bench corpus ingested by one `serve --follow` console,
 * then, into a fresh schema, by two started together on the same paths, who
 * split the streams between them by their leases (lease-keeper.ts). Each run
 * is timed from the consoles' start until the streams table counts every
 * line the SQLite ingest stored, polled every 100 ms; each console's CPU
 * (user + system, all its threads, from /proc) and the rest of the
 * machine's (PostgreSQL's above all) are taken at that moment.
 *
 * On this machine the consoles share its CPUs, so two cannot be faster than
 * one by more than the idle CPU one leaves; what the figure shows is that
 * they are not slower (no lock convoy, no line read twice). docs/scaling.md
 * turns the CPU per line on each side into what separate hosts would give.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pg from 'pg';

export interface ConsolesRun {
  consoles: number;
  seconds: number;
  /** CPU seconds of the consoles together, and of every other process meanwhile. */
  cpuSeconds: number | null;
  otherCpuSeconds: number | null;
  /** Lines of the streams each console holds leases on when the run ends, most first (who wrote them may differ: leases move). */
  linesPerConsole: number[];
}

export interface ConsolesResult {
  lines: number;
  one: ConsolesRun;
  two: ConsolesRun;
  /** Two consoles' wall time over one's: ≤ 1 when together they are no slower. */
  ratio: number;
}

const CLK_TCK = 100;
const POLL_MS = 100;

function ticksOf(pid: number): number | null {
  try {
    // Fields after the command (which may hold spaces) start at state; utime and stime are the 12th and 13th after it.
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return Number(f[11]) + Number(f[12]);
  } catch {
    return null;
  }
}

function machineBusyTicks(): number | null {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    return f.slice(0, 8).reduce((a, b) => a + b, 0) - (f[3] ?? 0) - (f[4] ?? 0);
  } catch {
    return null;
  }
}

function startConsole(cli: string, target: string, corpusDir: string): ChildProcess {
  const child = spawn(process.execPath, [cli, 'serve', '--db', target, '--port', '0', '--host', '127.0.0.1', '--follow', corpusDir], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, NODE_ENV: 'production', DIAG_CHECK_INTERVAL_MS: '0' },
  });
  child.stderr!.resume();
  return child;
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(t);
}

/** Lines the streams table counts (stored and unparsed), 0 before the schema exists. */
async function counted(c: pg.Client, schema: string): Promise<number> {
  try {
    const r = await c.query<{ n: string | null }>(`SELECT sum(events + unparsed) AS n FROM "${schema}".streams`);
    return Number(r.rows[0]?.n ?? 0);
  } catch {
    return 0;
  }
}

/** Lines written per lease holder, as the streams they hold count them. */
async function perHolder(c: pg.Client, schema: string): Promise<number[]> {
  try {
    const r = await c.query<{ n: string }>(
      `SELECT sum(s.events + s.unparsed) AS n FROM "${schema}".stream_leases l JOIN "${schema}".streams s ON s.key = l.key GROUP BY l.holder ORDER BY 1 DESC`,
    );
    return r.rows.map((x) => Number(x.n));
  } catch {
    return [];
  }
}

async function run(cli: string, corpusDir: string, url: string, lines: number, consoles: number, capSeconds: number): Promise<ConsolesRun> {
  const schema = `bench_c${consoles}_${randomBytes(4).toString('hex')}`;
  const u = new URL(url);
  u.searchParams.set('schema', schema);
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  const children: ChildProcess[] = [];
  try {
    const busy0 = machineBusyTicks();
    const t0 = performance.now();
    for (let i = 0; i < consoles; i++) children.push(startConsole(cli, u.toString(), corpusDir));
    for (;;) {
      if ((await counted(client, schema)) >= lines) break;
      const gone = children.find((c) => c.exitCode !== null || c.signalCode !== null);
      if (gone) throw new Error(`a console exited (${gone.exitCode ?? gone.signalCode}) before every line was stored`);
      if (performance.now() - t0 > capSeconds * 1000) throw new Error(`${consoles} console(s) had not stored every line after ${capSeconds} s`);
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
    const seconds = (performance.now() - t0) / 1000;
    const ticks = children.map((c) => ticksOf(c.pid!));
    const busy1 = machineBusyTicks();
    const ours = ticks.every((t) => t !== null) ? ticks.reduce((a, b) => a! + b!, 0)! / CLK_TCK : null;
    const machine = busy0 !== null && busy1 !== null ? (busy1 - busy0) / CLK_TCK : null;
    const linesPerConsole = await perHolder(client, schema);
    return { consoles, seconds, cpuSeconds: ours, otherCpuSeconds: ours !== null && machine !== null ? Math.max(0, machine - ours) : null, linesPerConsole };
  } finally {
    await Promise.all(children.map(stop));
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
    await client.end().catch(() => undefined);
  }
}

/** One console, then two, following `corpusDir` into fresh schemas at `url` until `lines` lines are counted. */
export async function pgConsoles(cli: string, corpusDir: string, url: string, lines: number, say: (line: string) => void, capSeconds = 600): Promise<ConsolesResult> {
  say(`one serve --follow console into PostgreSQL: ${lines} lines`);
  const one = await run(cli, corpusDir, url, lines, 1, capSeconds);
  say(`two serve --follow consoles on the same paths into PostgreSQL: ${lines} lines`);
  const two = await run(cli, corpusDir, url, lines, 2, capSeconds);
  return { lines, one, two, ratio: two.seconds / one.seconds };
}
