/**
 * The bench's optional PostgreSQL figure (`--pg URL`): the same corpus
 * ingested by the real CLI into a fresh schema of that database, timed as
 * the SQLite ingest is, and compared with it; then, in the same schema, a day
 * of the corpus's size dropped by prune (pg-partition-drop.ts). The schema is dropped after.
 * A server that does not answer is reported and skipped, not a failure of
 * the bench.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { runMeasured } from './measured-process.js';
import { pgPartitionDrop, type PartitionDropResult } from './pg-partition-drop.js';

export interface PgIngestResult {
  /** Where, without a password: host, port and database. */
  server: string;
  lines: number;
  stored: number;
  wallSeconds: number;
  linesPerSecond: number;
  /** PostgreSQL's lines/s over SQLite's on the same corpus. */
  ratio: number;
  /** CPU seconds of the ingest process, and of every other process (PostgreSQL's among them) meanwhile. */
  cpuSeconds: number | null;
  otherCpuSeconds: number | null;
  peakRssBytes: number | null;
  /** A day holding a copy of the whole corpus, dropped by prune; null when that failed (said why). */
  dayDrop: PartitionDropResult | null;
}

/** `url` with `schema` set to a fresh name; the name too. */
function withSchema(url: string): { target: string; schema: string; connectionString: string; server: string } {
  const u = new URL(url);
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  u.searchParams.delete('schema');
  const connectionString = u.toString();
  u.searchParams.set('schema', schema);
  return { target: u.toString(), schema, connectionString, server: `${u.hostname}:${u.port || '5432'}${u.pathname}` };
}

async function dropSchema(connectionString: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

/** Whether the server answers; the reason when it does not. */
async function reachable(connectionString: string): Promise<string | null> {
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (e) {
    return (e as Error).message || String(e);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Ingests `corpusDir` into PostgreSQL at `url` with the CLI at `cli`, then runs
 * `measure` on the filled schema's URL (pg-lookups.ts), before the schema is dropped; null (after `say`-ing why) when the server
 * cannot be reached.
 */
export async function pgIngest(cli: string, corpusDir: string, url: string, sqliteLinesPerSecond: number, say: (line: string) => void, measure?: (target: string, lines: number) => Promise<void>): Promise<PgIngestResult | null> {
  const t = withSchema(url);
  const why = await reachable(t.connectionString);
  if (why) {
    say(`PostgreSQL at ${t.server} does not answer (${why}): its ingest is skipped`);
    return null;
  }
  say(`ingest into PostgreSQL at ${t.server}, schema ${t.schema} (dropped after)`);
  try {
    const run = await runMeasured(process.execPath, [cli, 'ingest', '--json', '--db', t.target, corpusDir], { inheritStderr: true });
    if (run.code !== 0) throw new Error(`the PostgreSQL ingest exited with ${run.code ?? run.signal}`);
    const report = JSON.parse(run.stdout) as { lines: number; stored: number };
    const linesPerSecond = report.lines / run.wallSeconds;
    // Before the drop of a day, which moves every row into one day's partition.
    await measure?.(t.target, report.lines);
    const dayDrop = await pgPartitionDrop(t.connectionString, t.schema, say).catch((e: unknown) => {
      say(`the drop of a day failed: ${(e as Error).message}`);
      return null;
    });
    return {
      server: t.server,
      lines: report.lines,
      stored: report.stored,
      wallSeconds: run.wallSeconds,
      linesPerSecond,
      ratio: linesPerSecond / sqliteLinesPerSecond,
      cpuSeconds: run.cpuSeconds,
      otherCpuSeconds: run.cpuSeconds !== null && run.machineBusySeconds !== null ? Math.max(0, run.machineBusySeconds - run.cpuSeconds) : null,
      peakRssBytes: run.peakRssBytes,
      dayDrop,
    };
  } finally {
    await dropSchema(t.connectionString, t.schema);
  }
}
