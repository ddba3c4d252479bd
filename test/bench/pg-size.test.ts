/**
 * The bench's size of a PostgreSQL store (bench/pg-lookups.ts): every table
 * of the schema with its indexes and TOAST, partitions included, and nothing
 * of another schema. Real tables in scratch schemas of the machine's
 * PostgreSQL; sizes are compared with what PostgreSQL says of each part.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgDatabaseSize, pgSchemaTables } from '../../bench/pg-lookups.js';
import { dropSchema, PG_URL, scratchSchemaName } from '../store/pg-scratch.js';

const mine = scratchSchemaName('pgsize');
const other = scratchSchemaName('pgsize_other');
const client = new pg.Client({ connectionString: PG_URL });
/** Incompressible text: stored out of line (TOAST) at about its own length. */
const BODY = randomBytes(1536 * 1024).toString('base64');

const one = async (sql: string): Promise<number> => Number(Object.values((await client.query(sql)).rows[0] as Record<string, unknown>)[0]);

beforeAll(async () => {
  await client.connect();
  for (const s of [mine, other]) {
    await client.query(`CREATE SCHEMA "${s}"`);
    await client.query(`CREATE TABLE "${s}".bodies (id int PRIMARY KEY, body text)`);
    await client.query(`INSERT INTO "${s}".bodies VALUES (1, $1)`, [BODY]);
  }
  await client.query(`CREATE TABLE "${mine}".keyed (n int, k text)`);
  await client.query(`INSERT INTO "${mine}".keyed SELECT n, md5(n::text) FROM generate_series(1, 20000) n`);
  await client.query(`CREATE INDEX keyed_k ON "${mine}".keyed (k)`);
  await client.query(`CREATE TABLE "${mine}".days (at date NOT NULL, v text) PARTITION BY RANGE (at)`);
  await client.query(`CREATE TABLE "${mine}".days_1 PARTITION OF "${mine}".days FOR VALUES FROM ('2026-01-01') TO ('2026-01-02')`);
  await client.query(`INSERT INTO "${mine}".days SELECT '2026-01-01', md5(n::text) FROM generate_series(1, 5000) n`);
}, 60_000);

afterAll(async () => {
  await client.end();
  await dropSchema(mine);
  await dropSchema(other);
});

describe('pgSchemaTables', () => {
  it("lists each table of the schema once, with its heap, TOAST and indexes, partitions as tables of their own", async () => {
    const tables = await pgSchemaTables(PG_URL, mine);
    expect(tables.map((t) => t.table).sort()).toEqual(['bodies', 'days', 'days_1', 'keyed']);
    const bytes = Object.fromEntries(tables.map((t) => [t.table, t.bytes]));
    // Largest first.
    expect(tables.map((t) => t.bytes)).toEqual([...tables.map((t) => t.bytes)].sort((a, b) => b - a));
    // The body is out of line: the heap alone is a page or two, the table with its TOAST at least the body.
    expect(await one(`SELECT pg_relation_size('"${mine}".bodies')`)).toBeLessThan(BODY.length / 10);
    expect(bytes.bodies).toBeGreaterThanOrEqual(BODY.length);
    // The index on k is counted with its table.
    const heap = await one(`SELECT pg_relation_size('"${mine}".keyed')`);
    const index = await one(`SELECT pg_relation_size('"${mine}".keyed_k')`);
    expect(index).toBeGreaterThan(0);
    expect(bytes.keyed).toBeGreaterThanOrEqual(heap + index);
    // A partition's rows are the partition's; the partitioned parent holds nothing of its own.
    expect(bytes.days_1).toBeGreaterThanOrEqual(await one(`SELECT pg_relation_size('"${mine}".days_1')`));
    expect(bytes.days_1).toBeGreaterThan(0);
    expect(bytes.days).toBe(0);
  });
});

describe('pgDatabaseSize', () => {
  it("sums the schema's tables and no other schema's, per line and against the raw bytes", async () => {
    const target = `${PG_URL}?schema=${mine}`;
    const tables = await pgSchemaTables(PG_URL, mine);
    const sum = tables.reduce((n, t) => n + t.bytes, 0);
    const size = await pgDatabaseSize(target, 1000, 4 * BODY.length);
    expect(size.bytes).toBe(sum);
    expect(size.tables).toBe(4);
    expect(size.largest).toEqual(tables.slice(0, 4));
    expect(size.bytesPerLine).toBeCloseTo(sum / 1000, 9);
    expect(size.ratio).toBeCloseTo(sum / (4 * BODY.length), 9);
    expect(size.walCounted).toBe(false);
    // The other schema holds the same body: counted there, not here.
    const theirs = await pgDatabaseSize(`${PG_URL}?schema=${other}`, 1, 1);
    expect(theirs.tables).toBe(1);
    expect(theirs.bytes).toBeGreaterThanOrEqual(BODY.length);
  });
});
