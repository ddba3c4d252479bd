/**
 * A scratch schema per test for the day-partition tests: a PostgresStore on
 * it, a plain client beside it to look at the catalogue, and the queries
 * those tests ask of it (which partition each row sits in, which days a table
 * has). Every schema is dropped after the file's tests.
 */
import pg from 'pg';
import { afterAll, afterEach, beforeEach } from 'vitest';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { dropSchema, PG_URL, scratchSchemaName } from './pg-scratch.js';

/** Midnight UTC of 2026-11-24 … and its neighbours. */
export const D0 = Date.parse('2026-11-24T00:00:00.000Z');

export interface DaysScratch {
  readonly store: PostgresStore;
  readonly client: pg.Client;
  readonly schema: string;
  /** The partition each row of a table sits in, by time. */
  placement(table: string, column?: string): Promise<[string, number][]>;
  /** The partitions of a table named for days of November 2026 (those made ahead for today left out). */
  novemberPartitions(table: string): Promise<string[]>;
}

/** Registers the hooks that give each test of the file a fresh schema, and returns what the tests read it through. */
export function useDaysScratch(): DaysScratch {
  const schemas: string[] = [];
  let client: pg.Client;
  let schema: string;
  let store: PostgresStore;

  beforeEach(async () => {
    schema = scratchSchemaName('days');
    schemas.push(schema);
    store = await PostgresStore.open({ connectionString: PG_URL, schema });
    client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
  });

  afterEach(async () => {
    await store.close();
    await client.end();
  });

  afterAll(async () => {
    for (const s of schemas) await dropSchema(s);
  });

  return {
    get store() {
      return store;
    },
    get client() {
      return client;
    },
    get schema() {
      return schema;
    },
    async placement(table, column = 'time') {
      const r = await client.query<{ part: string; t: string }>(`SELECT tableoid::regclass::text AS part, ${column} AS t FROM "${schema}".${table} ORDER BY ${column}`);
      return r.rows.map((x) => [x.part.replace(`${schema}.`, ''), Number(x.t)]);
    },
    async novemberPartitions(table) {
      const r = await client.query<{ name: string }>(
        `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
         WHERE p.relnamespace = $1::regnamespace AND p.relname = $2 AND c.relname LIKE $3 ORDER BY 1`,
        [schema, table, `${table}_d202611%`],
      );
      return r.rows.map((x) => x.name);
    },
  };
}
