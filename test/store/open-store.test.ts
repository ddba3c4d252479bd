/** openStore: a PostgreSQL URL opens the PostgreSQL store in its schema; anything else is a SQLite file. */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_REDACTOR } from '../../src/redact/redactor.js';
import { DEFAULT_PG_SCHEMA, openStore, postgresTarget } from '../../src/store/open-store.js';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { StoreError } from '../../src/store/store.js';
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
