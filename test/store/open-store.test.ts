/** openStore: a PostgreSQL URL opens the PostgreSQL store in its schema; anything else is a SQLite file. */
import { existsSync, linkSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_REDACTOR } from '../../src/redact/redactor.js';
import { DEFAULT_PG_SCHEMA, openStore, postgresTarget } from '../../src/store/open-store.js';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { StoreError } from '../../src/store/store.js';
import { sameStore } from '../../src/store/store-presence.js';
import { dropSchema, PG_URL, scratchSchemaName } from './pg-scratch.js';

const schemas: string[] = [];
afterAll(async () => {
  for (const s of schemas) await dropSchema(s);
});

describe('openStore', () => {
  it('opens a SQLite file for a path', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'diag-open-'));
    try {
      const file = path.join(dir, 'sub', 'diag.sqlite');
      const store = await openStore(file, { redactor: DEFAULT_REDACTOR });
      expect(store).toBeInstanceOf(SqliteStore);
      await store.close();
      expect(existsSync(file)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('opens PostgreSQL for postgres:// and postgresql:// URLs, in the schema the URL names', async () => {
    for (const scheme of ['postgres', 'postgresql']) {
      const schema = scratchSchemaName('open');
      schemas.push(schema);
      const url = `${PG_URL.replace(/^postgres(ql)?:/, `${scheme}:`)}?schema=${schema}`;
      const store = await openStore(url, { redactor: DEFAULT_REDACTOR });
      try {
        expect(store).toBeInstanceOf(PostgresStore);
        expect((store as PostgresStore).schema).toBe(schema);
        expect(await store.stats()).toMatchObject({ requests: 0 });
      } finally {
        await store.close();
      }
    }
  });

  it('reads the schema parameter, defaulting to tellwang_diag, and keeps the other parameters', () => {
    expect(postgresTarget('postgres://u:p@db.internal:6543/diag?schema=ops&sslmode=require')).toEqual({
      connectionString: 'postgres://u:p@db.internal:6543/diag?sslmode=require',
      schema: 'ops',
    });
    expect(postgresTarget('postgresql://db.internal/diag')).toEqual({ connectionString: 'postgresql://db.internal/diag', schema: DEFAULT_PG_SCHEMA });
  });

  it('refuses a bad schema name and an unreachable server with a StoreError', async () => {
    await expect(openStore(`${PG_URL}?schema=bad-name`, { redactor: DEFAULT_REDACTOR })).rejects.toBeInstanceOf(StoreError);
    await expect(openStore('postgres://postgres@127.0.0.1:1/test?schema=x', { redactor: DEFAULT_REDACTOR })).rejects.toBeInstanceOf(StoreError);
  });
});

describe('sameStore', () => {
  it('is one SQLite file by any path or hard link, and one PostgreSQL server, database and schema', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'diag-same-'));
    try {
      const file = path.join(dir, 'diag.sqlite');
      writeFileSync(file, '');
      linkSync(file, path.join(dir, 'link.sqlite'));
      writeFileSync(path.join(dir, 'other.sqlite'), '');
      expect(sameStore(file, path.join(dir, '.', 'sub', '..', 'diag.sqlite'))).toBe(true);
      expect(sameStore(file, path.join(dir, 'link.sqlite'))).toBe(true);
      expect(sameStore(file, path.join(dir, 'other.sqlite'))).toBe(false);
      // Not there yet: compared by path.
      expect(sameStore(path.join(dir, 'new.sqlite'), path.join(dir, '.', 'new.sqlite'))).toBe(true);
      expect(sameStore(path.join(dir, 'new.sqlite'), path.join(dir, 'new2.sqlite'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const pgUrl = 'postgres://postgres@127.0.0.1:5432/test?schema=a';
    expect(sameStore(pgUrl, 'postgresql://other:pw@127.0.0.1/test?schema=a&sslmode=disable')).toBe(true);
    expect(sameStore(pgUrl, 'postgres://postgres@127.0.0.1:5432/test?schema=b')).toBe(false);
    expect(sameStore(pgUrl, 'postgres://postgres@127.0.0.1:5433/test?schema=a')).toBe(false);
    expect(sameStore(pgUrl, 'postgres://postgres@127.0.0.1:5432/prod?schema=a')).toBe(false);
    expect(sameStore('postgres://h/db', `postgres://h/db?schema=${DEFAULT_PG_SCHEMA}`)).toBe(true);
    expect(sameStore(pgUrl, 'a')).toBe(false);
  });
});
