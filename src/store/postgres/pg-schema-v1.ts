/**
 * PostgreSQL migration 1: the schema a new store started from — streams and
 * their checkpoints, container refs, events (a row each, until migration 8
 * packed them into blocks), counters, containers, requests, unparsed lines,
 * inventory, idempotency, audits, lifecycle, operators, sessions, tokens and
 * health history. Later migrations (pg-migrations.ts) change it; this text never
 * changes once released. Sorted or compared text is COLLATE "C"; times are
 * epoch milliseconds.
 */
export const PG_SCHEMA_V1 = `
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
  `;
