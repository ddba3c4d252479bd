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

export type PgMigration = string | ((c: Client) => Promise<void>);

export const PG_MIGRATIONS: readonly PgMigration[] = [
  /* 1 */ `
  CREATE TABLE streams (
    id serial PRIMARY KEY,
    key text COLLATE "C" NOT NULL UNIQUE,
    kind text NOT NULL,
    path text COLLATE "C",
    source text,
    container_id text COLLATE "C",
    dev bigint,
    ino bigint,
    off bigint NOT NULL DEFAULT 0,
    line bigint NOT NULL DEFAULT 0,
    size bigint,
    last_time bigint,
    events bigint NOT NULL DEFAULT 0,
    unparsed bigint NOT NULL DEFAULT 0,
    invalid_utf8 bigint NOT NULL DEFAULT 0,
    truncated bigint NOT NULL DEFAULT 0,
    -- offsets past the checkpoint already stored (lines that overtook an unfinished Docker line)
    ahead bigint[],
    updated_at bigint NOT NULL
  );
  CREATE INDEX streams_inode ON streams (dev, ino);

  -- Each distinct ContainerRef (as JSON) once; events point at it.
  CREATE TABLE container_refs (
    id serial PRIMARY KEY,
    ref text NOT NULL UNIQUE,
    container_id text COLLATE "C" NOT NULL
  );
  CREATE INDEX container_refs_container ON container_refs (container_id);

  CREATE TABLE events (
    stream integer NOT NULL,
    off bigint NOT NULL,
    time bigint NOT NULL,
    -- 0 cp, 1 container, 2 audit: the order of equal-time events (event-order.ts)
    source smallint NOT NULL,
    cid text COLLATE "C",
    -- the container's wok, for container lines
    wok text COLLATE "C",
    ref integer,
    notable boolean NOT NULL,
    data text NOT NULL,
    PRIMARY KEY (stream, off)
  );
  CREATE INDEX events_cid ON events (cid) WHERE cid IS NOT NULL;
  CREATE INDEX events_wok_time ON events (wok, time) WHERE wok IS NOT NULL;
  CREATE INDEX events_ref_time ON events (ref, time) WHERE ref IS NOT NULL;
  CREATE INDEX events_time ON events (time);

  CREATE TABLE counters (
    source text PRIMARY KEY,
    events bigint NOT NULL
  );

  CREATE TABLE containers (
    id text COLLATE "C" PRIMARY KEY,
    name text COLLATE "C",
    wok text COLLATE "C",
    role text COLLATE "C",
    image text,
    first_seen bigint,
    last_seen bigint
  );
  CREATE INDEX containers_wok ON containers (wok);

  CREATE TABLE requests (
    id bigserial PRIMARY KEY,
    cid text COLLATE "C" NOT NULL,
    time bigint NOT NULL,
    method text NOT NULL,
    path text NOT NULL,
    status integer NOT NULL,
    code text COLLATE "C",
    org text COLLATE "C",
    user_name text,
    key_prefix text COLLATE "C",
    wok text COLLATE "C",
    duration_ms double precision,
    message text,
    -- the time of the line it was derived from: retention follows the events
    event_time bigint NOT NULL
  );
  CREATE INDEX requests_time ON requests (time, id);
  CREATE INDEX requests_code_time ON requests (code, time) WHERE code IS NOT NULL;
  CREATE INDEX requests_org_time ON requests (org, time) WHERE org IS NOT NULL;
  CREATE INDEX requests_wok_time ON requests (wok, time) WHERE wok IS NOT NULL;
  CREATE INDEX requests_key ON requests (key_prefix) WHERE (org IS NULL OR user_name IS NULL) AND key_prefix IS NOT NULL;
  CREATE INDEX requests_event_time ON requests (event_time);

  CREATE TABLE unparsed (
    id bigserial PRIMARY KEY,
    stream integer NOT NULL,
    off bigint NOT NULL,
    line bigint NOT NULL,
    reason text NOT NULL,
    -- bytes, not text: a line of binary garbage may hold NUL, which text cannot
    head bytea NOT NULL,
    time bigint NOT NULL,
    UNIQUE (stream, off)
  );
  CREATE INDEX unparsed_time ON unparsed (time);

  CREATE TABLE inv_orgs (slug text COLLATE "C" PRIMARY KEY);
  CREATE TABLE inv_woks (
    id text COLLATE "C" PRIMARY KEY,
    org text NOT NULL,
    status text NOT NULL,
    functions_port integer,
    created_at bigint
  );
  CREATE TABLE inv_keys (
    prefix text COLLATE "C" NOT NULL,
    sha256 text COLLATE "C" NOT NULL,
    org text NOT NULL,
    user_name text NOT NULL,
    kind text NOT NULL,
    revoked_at bigint,
    PRIMARY KEY (prefix, sha256)
  );

  CREATE TABLE idempotency (
    key text PRIMARY KEY,
    digest text NOT NULL,
    -- the WriteResult as JSON; null only inside the transaction that claims the key
    result text,
    created_at bigint NOT NULL
  );
  CREATE INDEX idempotency_created ON idempotency (created_at);

  CREATE TABLE audits (
    id bigserial PRIMARY KEY,
    event_id text NOT NULL,
    time bigint NOT NULL,
    cid text,
    actor text,
    org text COLLATE "C",
    wok text COLLATE "C",
    action text NOT NULL,
    outcome text
  );
  CREATE INDEX audits_time ON audits (time);
  CREATE INDEX audits_wok_time ON audits (wok, time) WHERE wok IS NOT NULL;
  CREATE INDEX audits_org_time ON audits (org, time) WHERE org IS NOT NULL;

  CREATE TABLE lifecycle (
    id bigserial PRIMARY KEY,
    event_id text NOT NULL,
    container_id text COLLATE "C" NOT NULL,
    wok text COLLATE "C",
    time bigint NOT NULL,
    state text NOT NULL,
    message text NOT NULL
  );
  CREATE INDEX lifecycle_wok_time ON lifecycle (wok, time);
  CREATE INDEX lifecycle_time ON lifecycle (time);

  CREATE TABLE operators (
    id serial PRIMARY KEY,
    email text COLLATE "C" NOT NULL,
    password_hash text NOT NULL,
    created_at bigint NOT NULL,
    disabled_at bigint
  );
  -- Unique and found regardless of ASCII case, as SQLite's COLLATE NOCASE.
  CREATE UNIQUE INDEX operators_email ON operators (lower(email));
  CREATE TABLE sessions (
    id_hash text PRIMARY KEY,
    operator_id integer NOT NULL,
    csrf_token text NOT NULL,
    created_at bigint NOT NULL,
    expires_at bigint NOT NULL
  );
  CREATE INDEX sessions_operator ON sessions (operator_id);
  CREATE TABLE tokens (
    id serial PRIMARY KEY,
    name text COLLATE "C" NOT NULL,
    scope text NOT NULL,
    hash text NOT NULL UNIQUE,
    created_at bigint NOT NULL,
    revoked_at bigint,
    last_used_at bigint
  );
  CREATE UNIQUE INDEX tokens_live_name ON tokens (name) WHERE revoked_at IS NULL;

  CREATE TABLE checks (
    id bigserial PRIMARY KEY,
    check_name text COLLATE "C" NOT NULL,
    status text NOT NULL,
    time bigint NOT NULL,
    output text
  );
  CREATE INDEX checks_time ON checks (time);
  CREATE INDEX checks_name_time ON checks (check_name, time);
  `,
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
