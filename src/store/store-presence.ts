/**
 * What there is of a store before it is opened, for the commands that must
 * not create one and those that report its size: whether the SQLite file or
 * the PostgreSQL schema exists, and how many bytes the SQLite file and its
 * WAL take on disk (PostgreSQL's files are the server's, not ours to count).
 * `pg` is loaded only to look for a PostgreSQL schema.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { describeTarget, isPostgresTarget, postgresTarget, storeLabel } from './open-store.js';
import { pgOutage } from './postgres/pg-outage.js';
import { StoreError } from './store.js';

/**
 * Null when `target` names a store that exists; else one line saying what is
 * missing (`no store at FILE`, `no store in PostgreSQL at HOST/DB, schema S`).
 * A PostgreSQL server that cannot be reached is a StoreError.
 */
export async function missingStore(target: string): Promise<string | null> {
  if (!isPostgresTarget(target)) return existsSync(target) && statSync(target).isFile() ? null : `no store at ${target}`;
  const { connectionString, schema } = postgresTarget(target);
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: 10_000 });
  let found: boolean;
  try {
    await client.connect();
    const r = await client.query('SELECT 1 FROM information_schema.schemata WHERE schema_name = $1', [schema]);
    found = (r.rowCount ?? 0) > 0;
  } catch (e) {
    throw new StoreError(`cannot reach PostgreSQL at ${describeTarget(connectionString)} (${(e as { code?: string }).code ?? (e as Error).message})`, e instanceof Error && pgOutage(e) ? 'unavailable' : 'other', { cause: e });
  } finally {
    await client.end().catch(() => undefined);
  }
  return found ? null : `no store in ${storeLabel(target)}`;
}

/** Bytes of a SQLite store's file and WAL (those absent count 0); null for a PostgreSQL store. */
export function storeFileBytes(target: string): number | null {
  if (isPostgresTarget(target)) return null;
  let n = 0;
  for (const f of [target, `${target}-wal`]) {
    try {
      n += statSync(f).size;
    } catch {
      // absent
    }
  }
  return n;
}

/**
 * Whether two targets name the same store: one SQLite file (by device and
 * inode once it exists, so another path or a hard link to it is the same), or
 * one PostgreSQL server, database and schema.
 */
export function sameStore(a: string, b: string): boolean {
  if (isPostgresTarget(a) !== isPostgresTarget(b)) return false;
  if (isPostgresTarget(a)) {
    const where = (t: string): string => {
      const { connectionString, schema } = postgresTarget(t);
      const u = new URL(connectionString);
      return `${u.hostname.toLowerCase()}:${u.port || '5432'}${u.pathname}?${schema}`;
    };
    return where(a) === where(b);
  }
  if (existsSync(a) && existsSync(b)) {
    const x = statSync(a);
    const y = statSync(b);
    return x.dev === y.dev && x.ino === y.ino;
  }
  return path.resolve(a) === path.resolve(b);
}
