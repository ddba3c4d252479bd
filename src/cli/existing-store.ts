/**
 * Commands that only read (ticket, stats, unparsed, the lists) or change what
 * is already there (prune, disabling an operator, revoking a token) refuse a
 * store that does not exist, instead of creating an empty one and answering
 * that nothing was logged: a mistyped --db, or a command run from another
 * directory than the default ./data/diag.sqlite is relative to, says so.
 */
import { existsSync, statSync } from 'node:fs';
import pg from 'pg';
import { describeTarget } from '../store/postgres/pg-connect.js';
import { isPostgresTarget, postgresTarget, storeLabel } from '../store/open-store.js';
import { StoreError } from '../store/store.js';

export const WHERE_HINT = 'pass --db or set DIAG_DB';

/** Throws a one-line StoreError when `target` names no store: no such SQLite file, or no such PostgreSQL schema. */
export async function requireExistingStore(target: string): Promise<void> {
  if (!isPostgresTarget(target)) {
    if (!existsSync(target) || !statSync(target).isFile()) throw new StoreError(`no store at ${target}; ${WHERE_HINT}`, 'other');
    return;
  }
  const { connectionString, schema } = postgresTarget(target);
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: 10_000 });
  let found: boolean;
  try {
    await client.connect();
    const r = await client.query('SELECT 1 FROM information_schema.schemata WHERE schema_name = $1', [schema]);
    found = (r.rowCount ?? 0) > 0;
  } catch (e) {
    throw new StoreError(`cannot reach PostgreSQL at ${describeTarget(connectionString)} (${(e as { code?: string }).code ?? (e as Error).message})`, 'other', { cause: e });
  } finally {
    await client.end().catch(() => undefined);
  }
  if (!found) throw new StoreError(`no store in ${storeLabel(target)}; ${WHERE_HINT}`, 'other');
}
