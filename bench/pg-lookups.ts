/**
 * What the bench measures on SQLite's store after its ingest, measured on
 * PostgreSQL's (`--pg URL`) between that ingest and the drop of its schema
 * (pg-ingest.ts): the database's size, and ticket lookups in-process and over
 * HTTP with the same ids, the same code (lookups.ts) and the same server
 * (serve-child.ts), only the target being the schema's postgres:// URL.
 *
 * The size is pg_total_relation_size summed over every table of the schema
 * (heap, indexes, TOAST, free-space and visibility maps), taken right after
 * the ingest, before the lookups add their audit rows, as SQLite's is. The
 * write-ahead log is not counted: it belongs to the whole cluster, not to a
 * table, and is recycled at checkpoints; SQLite's WAL file is counted, as it
 * is the store's own file.
 */
import pg from 'pg';
import { postgresTarget } from '../src/store/open-store.js';
import { lookupInChild, lookupOverHttp, type LookupResult } from './lookups.js';
import { pgIngest, type PgIngestResult } from './pg-ingest.js';
import { createOperatorToken, startServe } from './serve-child.js';

export interface PgSize {
  /** pg_total_relation_size summed over the schema's tables. */
  bytes: number;
  tables: number;
  /** The largest tables, largest first (at most five). */
  largest: { table: string; bytes: number }[];
  bytesPerLine: number;
  rawBytes: number;
  /** bytes / rawBytes. */
  ratio: number;
  /** Always false: the WAL is the cluster's, not a table's. */
  walCounted: false;
}

export type HttpLookupResult = LookupResult & { statuses: Record<number, number>; concurrency: number; servePeakRssBytes: number | null };

export interface PgBenchResult extends PgIngestResult {
  database: PgSize;
  lookup: { inProcess: LookupResult; http: HttpLookupResult | null };
}

export interface PgReadsOptions {
  /** The CLI (dist/src/cli.js) that serves. */
  cli: string;
  ids: string[];
  warmup: string[];
  /** Keep-alive clients for the HTTP lookups; null skips them (--no-http). */
  httpClients: number | null;
  capSeconds: number;
  /** Where the in-process lookups' input file goes. */
  workDir: string;
  rawBytes: number;
}

/** Every table of `schema` (partitions included, each being a table of its own) with its total size, largest first. */
export async function pgSchemaTables(connectionString: string, schema: string): Promise<{ table: string; bytes: number }[]> {
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    const r = await client.query<{ table: string; bytes: string }>(
      `SELECT c.relname AS table, pg_total_relation_size(c.oid) AS bytes
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'm')
        ORDER BY 2 DESC, 1`,
      [schema],
    );
    return r.rows.map((x) => ({ table: x.table, bytes: Number(x.bytes) }));
  } finally {
    await client.end();
  }
}

/** The size of the store at the PostgreSQL `target` (a URL with ?schema=), against `lines` lines of `rawBytes` raw bytes. */
export async function pgDatabaseSize(target: string, lines: number, rawBytes: number): Promise<PgSize> {
  const { connectionString, schema } = postgresTarget(target);
  const tables = await pgSchemaTables(connectionString, schema);
  const bytes = tables.reduce((n, t) => n + t.bytes, 0);
  return { bytes, tables: tables.length, largest: tables.slice(0, 5), bytesPerLine: bytes / Math.max(1, lines), rawBytes, ratio: bytes / rawBytes, walCounted: false };
}

/** Ticket lookups on the store at `target`, in a process of its own and over HTTP from a `serve` child on it. */
export async function lookupsOn(target: string, o: PgReadsOptions, say: (line: string) => void): Promise<PgBenchResult['lookup']> {
  say(`ticket lookups in-process on PostgreSQL: ${o.ids.length} ids`);
  const { segmentStats: _none, ...inProcess } = lookupInChild(target, o.ids, o.warmup, o.capSeconds, o.workDir);
  if (o.httpClients === null) return { inProcess, http: null };
  say(`ticket lookups over HTTP on PostgreSQL: ${o.ids.length} ids, ${o.httpClients} keep-alive client(s)`);
  const token = createOperatorToken(o.cli, target, 'bench-pg');
  const server = await startServe(o.cli, target);
  try {
    const r = await lookupOverHttp(server.url, token, o.ids, o.warmup, o.httpClients, o.capSeconds);
    return { inProcess, http: { ...r, concurrency: o.httpClients, servePeakRssBytes: server.peakRss() } };
  } finally {
    await server.stop();
  }
}

/**
 * pgIngest, then on the schema it filled and before it is dropped, the
 * database's size and the ticket lookups; null when the server does not answer.
 */
export async function pgBench(corpusDir: string, url: string, sqliteLinesPerSecond: number, o: PgReadsOptions, say: (line: string) => void): Promise<PgBenchResult | null> {
  let reads: Pick<PgBenchResult, 'database' | 'lookup'> | null = null;
  const ingest = await pgIngest(o.cli, corpusDir, url, sqliteLinesPerSecond, say, async (target, lines) => {
    const database = await pgDatabaseSize(target, lines, o.rawBytes);
    reads = { database, lookup: await lookupsOn(target, o, say) };
  });
  if (!ingest) return null;
  if (!reads) throw new Error('the PostgreSQL ingest returned without its schema being measured');
  return { ...ingest, ...(reads as Pick<PgBenchResult, 'database' | 'lookup'>) };
}
