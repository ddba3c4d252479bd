/**
 * The PostgreSQL side of a PostgresStore: a `pg` Pool whose connections work
 * inside one schema (search_path set at connect), int8 read as numbers, errors
 * mapped to StoreError with a reason callers can act on, and a transaction
 * helper that always releases its client.
 */
import pg from 'pg';
import { LeaseLost, StoreError } from '../store.js';
import { pgOutage } from './pg-outage.js';

export interface PgOptions {
  connectionString: string;
  /** The schema holding the store's tables; created if missing. */
  schema: string;
  /** Most connections the pool opens (default 10). */
  maxConnections?: number;
  /** How long to wait for a connection before failing (ms, default 10 000). */
  connectTimeoutMs?: number;
}

/** Lower case only: the same name quoted or not, in SQL and in search_path. */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
const INT8 = 20;
const INT8_ARRAY = 1016;

/** int8 (counts, epoch ms, offsets) as JS numbers: every value we store is far below 2^53. */
const builtinParser = pg.types.getTypeParser as (oid: number, format: 'text' | 'binary') => (value: string) => unknown;

function getTypeParser(oid: number, format?: 'text' | 'binary'): (value: string) => unknown {
  if (oid === INT8) return (v: string) => Number(v);
  if (oid === INT8_ARRAY) {
    const base = builtinParser(INT8_ARRAY, 'text') as (v: string) => (string | null)[];
    return (v: string) => base(v).map((x) => (x === null ? null : Number(x)));
  }
  return builtinParser(oid, format ?? 'text');
}

export function checkSchemaName(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) {
    throw new StoreError(`"${schema.slice(0, 80)}" is not a usable schema name (lower-case letters, digits and _; at most 63; not starting with a digit)`, 'other');
  }
  return schema;
}

export function createPool(o: PgOptions): pg.Pool {
  const schema = checkSchemaName(o.schema);
  const pool = new pg.Pool({
    connectionString: o.connectionString,
    max: o.maxConnections ?? 10,
    connectionTimeoutMillis: o.connectTimeoutMs ?? 10_000,
    idleTimeoutMillis: 10_000,
    allowExitOnIdle: true,
    options: `-c search_path=${schema}`,
    types: { getTypeParser } as pg.CustomTypesConfig,
    // A peer that vanished without a reset (a failover behind an address) is found by TCP keepalive, not never.
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
  });
  // A connection the server drops emits 'error' on its client, idle (the pool's 'error') or checked out (the
  // client's own, which the pool does not listen to then): unheard, either would end the process or its thread.
  // The query in flight fails with it, and the next one on that client says it is not queryable: both are
  // StoreErrors (mapPgError), and inTransaction gives the client back as broken, so the pool opens a new one.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}

/** Where a connection string points, without its password, for messages. */
export { describeTarget } from '../open-store.js';

/**
 * pg's errors → StoreError with a reason: 'unavailable' for a server that is
 * not there right now (pg-outage.ts), then disk, read-only, lock, corruption;
 * others pass through.
 */
export function mapPgError(e: unknown, context: string, target: string): Error {
  if (e instanceof StoreError || e instanceof LeaseLost) return e;
  if (!(e instanceof Error)) return new Error(`${context}: ${String(e)}`);
  const code = (e as { code?: unknown }).code;
  const c = typeof code === 'string' ? code : '';
  const at = `PostgreSQL at ${target}`;
  const outage = pgOutage(e);
  if (outage) {
    const what = outage.kind === 'unreachable' ? `cannot reach ${at}` : `${at} cannot serve now`;
    return new StoreError(`${context}: ${what} (${outage.what})`, 'unavailable', { cause: e });
  }
  if (c === '53100') return new StoreError(`${context}: the disk of ${at} is full`, 'full', { cause: e });
  if (c === '42501') return new StoreError(`${context}: not allowed to write to ${at} (${e.message})`, 'readonly', { cause: e });
  if (c === '40001' || c === '40P01' || c === '55P03') {
    return new StoreError(`${context}: ${at} is busy (${e.message})`, 'busy', { cause: e });
  }
  if (c === 'XX001' || c === 'XX002') return new StoreError(`${context}: ${at} reports corrupt data (${e.message})`, 'corrupt', { cause: e });
  if (c.startsWith('28') || c === '3D000') {
    return new StoreError(`${context}: cannot use ${at} (${e.message})`, 'other', { cause: e });
  }
  return e;
}

export type Client = pg.PoolClient;

/** Runs `fn` in one transaction on one pooled client: committed if it returns, rolled back if it throws. */
export async function inTransaction<T>(pool: pg.Pool, fail: (e: unknown) => Error, fn: (c: Client) => Promise<T>): Promise<T> {
  let client: Client;
  try {
    client = await pool.connect();
  } catch (e) {
    throw fail(e);
  }
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (e) {
    try {
      await client.query('ROLLBACK');
    } catch (r) {
      broken = r instanceof Error ? r : new Error(String(r));
    }
    throw fail(e);
  } finally {
    client.release(broken);
  }
}
