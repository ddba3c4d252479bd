/**
 * The PostgreSQL schema as numbered migrations, applied at open inside the
 * store's schema (schema_version records how far it has come; an advisory
 * lock keeps two processes from migrating at once).
 *
 * Events were a row each up to migration 7; from migration 8 they are blocks
 * as in SQLite (pg-blocks.ts, pg-migration-blocks.ts): up to 512 compact lines
 * of event-codec.ts packed into one row, so both stores decode events with the
 * same code, with a day-partitioned table of each block's correlation ids.
 * A migration is SQL, or a function when it must move rows through the code
 * that packs them.
 * Text that is sorted or compared is COLLATE "C", to order exactly as SQLite.
 * Times are epoch milliseconds (bigint). PostgreSQL text cannot hold NUL: the
 * event itself is JSON (NUL escaped), an unparsed line's head is bytea, and the
 * derived columns (request, audit, lifecycle, container) store NUL as U+FFFD.
 */
import { StoreError } from '../store.js';
import type { Client } from './pg-connect.js';
import { DAY_PARTITIONS_MIGRATION } from './pg-migration-days.js';
import { migrateToBlocks } from './pg-migration-blocks.js';
import { PG_SCHEMA_V1 } from './pg-schema-v1.js';

export type PgMigration = string | ((c: Client) => Promise<void>);

export const PG_MIGRATIONS: readonly PgMigration[] = [
  /* 1 */ PG_SCHEMA_V1,
  /* 2 */ `
  -- digest of the bytes just before the checkpoint (Checkpoint.tail)
  ALTER TABLE streams ADD COLUMN tail text;
  `,
  /* 3 */ `
  -- sign-in throttling counts (store-limiter.ts): the table rate-limiter-flexible's RateLimiterPostgres reads
  CREATE TABLE rate_limits (key text PRIMARY KEY, points integer NOT NULL DEFAULT 0, expire bigint);
  `,
  /* 4 */ `
  -- the audit of lookups (pg-lookups.ts): who looked at which ticket, search, around or reply
  CREATE TABLE lookups (
    id bigserial PRIMARY KEY,
    time bigint NOT NULL,
    actor_kind text NOT NULL,
    actor text COLLATE "C" NOT NULL,
    org text COLLATE "C",
    kind text NOT NULL,
    target text NOT NULL,
    address text
  );
  CREATE INDEX lookups_time ON lookups (time, id);
  CREATE INDEX lookups_actor ON lookups (actor, time);
  CREATE INDEX lookups_org ON lookups (org, time) WHERE org IS NOT NULL;
  `,
  /* 5: the time-ordered tables in day partitions (pg-migration-days.ts) */ DAY_PARTITIONS_MIGRATION,
  /* 6 */ // Leases on streams for several consoles on one schema (model/lease.ts); times are the server's epoch ms.
  `
  CREATE TABLE IF NOT EXISTS stream_leases (
    key text COLLATE "C" PRIMARY KEY,
    holder text NOT NULL,
    epoch bigint NOT NULL,
    expires_at bigint NOT NULL,
    acquired_at bigint NOT NULL
  );
  CREATE TABLE IF NOT EXISTS lease_holders (
    holder text PRIMARY KEY,
    expires_at bigint NOT NULL,
    started_at bigint NOT NULL
  );
  `,
  /* 7 */ `
  -- what long-running ingesters say of themselves (pg-ingest-notes.ts): one JSON note per ingester
  CREATE TABLE ingesters (name text COLLATE "C" PRIMARY KEY, note text NOT NULL, seen bigint NOT NULL);
  `,
  /* 8: events as packed blocks with a correlation-id table, the old rows moved (pg-migration-blocks.ts) */ migrateToBlocks,
];

/** Creates the schema if needed and applies the missing migrations, each in the caller's transaction. */
export async function migrate(c: Client, schema: string): Promise<void> {
  await c.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`tellwang-diag schema ${schema}`]);
  await c.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  await c.query(`CREATE TABLE IF NOT EXISTS "${schema}".schema_version (version integer PRIMARY KEY, applied_at bigint NOT NULL)`);
  const r = await c.query<{ v: number | null }>(`SELECT max(version) AS v FROM "${schema}".schema_version`);
  const have = r.rows[0]?.v ?? 0;
  if (have > PG_MIGRATIONS.length) {
    throw new StoreError(`the schema "${schema}" is of a newer version (${have}; this build knows ${PG_MIGRATIONS.length})`, 'other');
  }
  for (let v = have; v < PG_MIGRATIONS.length; v++) {
    const m = PG_MIGRATIONS[v]!;
    if (typeof m === 'string') await c.query(m);
    else await m(c);
    await c.query(`INSERT INTO "${schema}".schema_version (version, applied_at) VALUES ($1, $2)`, [v + 1, Date.now()]);
  }
}
