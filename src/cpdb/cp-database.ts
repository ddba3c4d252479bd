/**
 * The cp's own PostgreSQL, read through the contract of sql/cp-contract.sql
 * and nothing else. Read-only at the session level, bounded everywhere:
 * connect timeout, statement timeout on the server, query timeout on the
 * client, and an AbortSignal that drops the connection of a query its
 * caller gave up on (so a hung database never holds a /diag request).
 */
import pg from 'pg';
import { CodedError } from '../errors/coded-error.js';
import type { DiagCode } from '../errors/diag-codes.js';

export interface CpDatabaseOptions {
  url: string;
  /** Schema holding the contract's views (search_path); null keeps the database's default. */
  schema: string | null;
  connectTimeoutMs: number;
  /** Server- and client-side limit for one statement. */
  statementTimeoutMs: number;
  /** Pool size: the checks and the access rules need few connections. */
  max: number;
}

/** Defined with the configuration, which names it without loading `pg`. */
export { DEFAULT_CP_SCHEMA } from '../config.js';

const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** A missing view or column of the contract is a setup to fix (DIAG_CP_CONTRACT_MISSING); anything else, the database not answering (DIAG_TIMEOUT). */
export class CpDatabaseError extends CodedError {
  override name = 'CpDatabaseError';
  constructor(
    message: string,
    /** 'contract': a view or column of sql/cp-contract.sql is not there (undefined_table, undefined_column). */
    readonly reason: 'aborted' | 'timeout' | 'unreachable' | 'rejected' | 'contract' | 'query',
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  get code(): DiagCode {
    return this.reason === 'contract' ? 'DIAG_CP_CONTRACT_MISSING' : 'DIAG_TIMEOUT';
  }
}

/** The URL as it may be shown: scheme, host, port and database, never the user or password. */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.hostname}${u.port ? ':' + u.port : ''}${u.pathname}`;
  } catch {
    return '(unparsable URL)';
  }
}

export class CpDatabase {
  private readonly pool: pg.Pool;
  readonly target: string;

  constructor(readonly opts: CpDatabaseOptions) {
    if (opts.schema !== null && !SCHEMA_NAME.test(opts.schema)) throw new Error(`cp database schema ${JSON.stringify(opts.schema)} is not a plain identifier`);
    this.target = describeUrl(opts.url);
    const settings = ['-c default_transaction_read_only=on', `-c statement_timeout=${opts.statementTimeoutMs}`];
    if (opts.schema) settings.push(`-c search_path=${opts.schema}`);
    this.pool = new pg.Pool({
      connectionString: opts.url,
      max: opts.max,
      connectionTimeoutMillis: opts.connectTimeoutMs,
      query_timeout: opts.statementTimeoutMs + 500,
      idleTimeoutMillis: 30_000,
      application_name: 'tellwang-diag',
      options: settings.join(' '),
      allowExitOnIdle: true,
    });
    // A connection that dies (database restart) must not take the process down, idle in the pool (the pool's
    // 'error') or checked out (its client's own, which the pool does not listen to then): the query in flight
    // fails with it, the client is released as broken, and the next query reconnects.
    this.pool.on('error', () => undefined);
    this.pool.on('connect', (client) => client.on('error', () => undefined));
  }

  /**
   * Runs one statement on a pooled connection. If `signal` aborts first, the
   * connection is destroyed (the server sees it go) and this rejects at once.
   */
  async query<R extends pg.QueryResultRow>(text: string, values: unknown[] = [], signal?: AbortSignal): Promise<R[]> {
    if (signal?.aborted) throw new CpDatabaseError('query abandoned before it started', 'aborted');
    const client = await this.connect(signal);
    let released = false;
    const release = (destroy?: Error) => {
      if (released) return;
      released = true;
      client.release(destroy);
    };
    const onAbort = () => release(new Error('abandoned by its caller'));
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const r = await client.query<R>(text, values);
      return r.rows;
    } catch (e) {
      const ce = toCpError(e, signal);
      // An SQL error leaves the connection usable; anything else (network, timeout) may not.
      release(ce.reason === 'query' || ce.reason === 'rejected' || ce.reason === 'contract' ? undefined : ce);
      throw ce;
    } finally {
      signal?.removeEventListener('abort', onAbort);
      release();
    }
  }

  /** connect + SELECT 1, timed. */
  async ping(signal?: AbortSignal): Promise<{ ms: number }> {
    const t0 = performance.now();
    await this.query('SELECT 1', [], signal);
    return { ms: performance.now() - t0 };
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  private connect(signal?: AbortSignal): Promise<pg.PoolClient> {
    return new Promise((resolve, reject) => {
      let settled = false;
      const onAbort = () => {
        if (settled) return;
        settled = true;
        reject(new CpDatabaseError('connecting was abandoned by its caller', 'aborted'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.pool.connect().then(
        (client) => {
          signal?.removeEventListener('abort', onAbort);
          if (settled) client.release(true);
          else {
            settled = true;
            resolve(client);
          }
        },
        (e: unknown) => {
          signal?.removeEventListener('abort', onAbort);
          if (settled) return;
          settled = true;
          reject(toCpError(e, signal));
        },
      );
    });
  }
}

/** pg's and the network's errors as one short, secret-free line with a reason. */
export function toCpError(e: unknown, signal?: AbortSignal): CpDatabaseError {
  if (e instanceof CpDatabaseError) return e;
  if (signal?.aborted) return new CpDatabaseError('query abandoned by its caller', 'aborted', { cause: e });
  const err = (e ?? {}) as { code?: string; message?: string; address?: string; port?: number };
  const msg = (err.message ?? String(e)).replace(/\s+/g, ' ').slice(0, 240);
  switch (err.code) {
    case 'ECONNREFUSED':
      return new CpDatabaseError(`connection refused${err.address ? ` by ${err.address}:${err.port}` : ''}`, 'unreachable', { cause: e });
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new CpDatabaseError('host name does not resolve', 'unreachable', { cause: e });
    case 'ECONNRESET':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return new CpDatabaseError(`network error (${err.code})`, 'unreachable', { cause: e });
    case '57014':
      return new CpDatabaseError('statement timed out on the server', 'timeout', { cause: e });
    case '42P01':
    case '42703':
      return new CpDatabaseError(msg, 'contract', { cause: e });
    case '28P01':
    case '28000':
    case '3D000':
    case '42501':
      return new CpDatabaseError(msg, 'rejected', { cause: e });
  }
  if (/timeout/i.test(msg)) return new CpDatabaseError(msg, 'timeout', { cause: e });
  if (/terminated|ended|closed/i.test(msg)) return new CpDatabaseError(msg, 'unreachable', { cause: e });
  return new CpDatabaseError(msg, 'query', { cause: e });
}
