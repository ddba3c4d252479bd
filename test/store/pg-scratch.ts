/** Scratch schemas in the machine's PostgreSQL (database `test`) for store tests: unique per test file, dropped after. */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const PG_URL = process.env.DIAG_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test';

export function scratchSchemaName(tag: string): string {
  return `diag_test_${tag}_${randomBytes(5).toString('hex')}`;
}

export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}
