/**
 * A store from one target string: a `postgres://` or `postgresql://` URL opens
 * the PostgreSQL store (schema from `?schema=`, default tellwang_diag),
 * anything else is the path of a SQLite file. Each store's modules are
 * loaded when a store of its kind is opened: a thread writing a SQLite file
 * starts without `pg`, one that only names a store loads neither.
 */
import { StoreError, type Store } from './store.js';
import type { Redactor } from '../redact/redactor.js';

export const DEFAULT_PG_SCHEMA = 'tellwang_diag';

const PG_URL = /^postgres(?:ql)?:\/\//i;

export function isPostgresTarget(target: string): boolean {
  return PG_URL.test(target);
}

/** The connection string (without our own `schema` parameter) and the schema of a PostgreSQL target. */
export function postgresTarget(target: string): { connectionString: string; schema: string } {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new StoreError('the PostgreSQL URL is not a valid URL (postgres://user@host:5432/database?schema=name)', 'other');
  }
  const schema = url.searchParams.get('schema') || DEFAULT_PG_SCHEMA;
  url.searchParams.delete('schema');
  return { connectionString: url.toString(), schema };
}

export interface OpenStoreOptions {
  /** Removes secrets from what the store writes: the one built from configuration (cli/context.ts), or a thread's copy of it. */
  redactor: Redactor;
  /**
   * Only reads: a SQLite file is opened read-only (so a command reads while a
   * follower writes, and reads a file it cannot write). PostgreSQL reads
   * through its pool as always.
   */
  readonly?: boolean;
}

/** Opens (creating or migrating as needed) the store at `target`. */
export async function openStore(target: string, opts: OpenStoreOptions): Promise<Store> {
  if (isPostgresTarget(target)) {
    const { PostgresStore } = await import('./postgres/postgres-store.js');
    return PostgresStore.open({ ...postgresTarget(target), redactor: opts.redactor });
  }
  const { SqliteStore } = await import('./sqlite/sqlite-store.js');
  return new SqliteStore(target, { redactor: opts.redactor, ...(opts.readonly ? { readonly: true } : {}) });
}

/** The server and database of a connection string, never its password. */
export function describeTarget(connectionString: string): string {
  try {
    const u = new URL(connectionString);
    return `${u.hostname || 'localhost'}:${u.port || '5432'}${u.pathname || ''}`;
  } catch {
    return 'the configured PostgreSQL server';
  }
}

/** How to name the store to a person: the file, or the PostgreSQL server and schema — never the URL's password. */
export function storeLabel(target: string): string {
  if (!isPostgresTarget(target)) return target;
  try {
    const { connectionString, schema } = postgresTarget(target);
    return `PostgreSQL at ${describeTarget(connectionString)}, schema ${schema}`;
  } catch {
    return 'PostgreSQL (an invalid URL)';
  }
}
