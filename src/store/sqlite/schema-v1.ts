/**
 * SQLite migration 1: the schema a new file starts from — streams and their
 * checkpoints, containers, event blocks and the correlation-id segments
 * (cid-index.ts), failed requests and per-minute traffic, counters, unparsed
 * lines, inventory, idempotency, lifecycle, operators, sessions, tokens,
 * health history and meta. Later migrations
 * (migrations.ts) add to it; this text never changes once released.
 */

export const SCHEMA_V1 = `
  CREATE TABLE streams (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    path TEXT,
    source TEXT,
    container_id TEXT,
    dev INTEGER,
    ino INTEGER,
    offset INTEGER NOT NULL DEFAULT 0,
    line INTEGER NOT NULL DEFAULT 0,
    size INTEGER,
    last_time INTEGER,
    events INTEGER NOT NULL DEFAULT 0,
    unparsed INTEGER NOT NULL DEFAULT 0,
    invalid_utf8 INTEGER NOT NULL DEFAULT 0,
    truncated INTEGER NOT NULL DEFAULT 0,
    -- offsets past the checkpoint already stored (lines that overtook an unfinished Docker line), JSON
    ahead TEXT,
    updated_at INTEGER NOT NULL
  );
  CREATE INDEX streams_inode ON streams(dev, ino);

  CREATE TABLE containers (
    id TEXT PRIMARY KEY,
    name TEXT,
    wok TEXT,
    role TEXT,
    image TEXT,
    first_seen INTEGER,
    last_seen INTEGER
  );
  CREATE INDEX containers_wok ON containers(wok);

  CREATE TABLE blocks (
    id INTEGER PRIMARY KEY,
    stream INTEGER NOT NULL,
    off0 INTEGER NOT NULL,
    off1 INTEGER NOT NULL,
    t0 INTEGER NOT NULL,
    t1 INTEGER NOT NULL,
    source TEXT NOT NULL,
    wok TEXT,
    container TEXT,
    n INTEGER NOT NULL,
    notable INTEGER NOT NULL,
    data TEXT NOT NULL,
    -- cp blocks: the requests their lines ended, as JSON tuples; audit blocks: the audit records (summary-codec.ts)
    summary TEXT,
    UNIQUE (stream, off0)
  );
  CREATE INDEX blocks_wok_time ON blocks(wok, t0) WHERE wok IS NOT NULL;
  CREATE INDEX blocks_t1 ON blocks(t1);
  CREATE INDEX blocks_summary ON blocks(source, t1) WHERE summary IS NOT NULL;

  CREATE TABLE segs (
    -- AUTOINCREMENT: a segment number is never reused, so a reader's cached filter never belongs to another segment
    seg INTEGER PRIMARY KEY AUTOINCREMENT,
    n INTEGER NOT NULL,
    t1 INTEGER NOT NULL,
    level INTEGER NOT NULL DEFAULT 0,
    -- a lower bound of the t1 of every block the segment points at (NULL: unknown), so prune knows which segments to clean
    oldest INTEGER,
    -- a Bloom filter of the segment's ids (segment-bloom.ts): lookups probe only segments that may hold the id
    bloom BLOB
  );
  CREATE TABLE cidx (
    seg INTEGER NOT NULL,
    cid TEXT NOT NULL,
    blk INTEGER NOT NULL,
    PRIMARY KEY (seg, cid, blk)
  ) WITHOUT ROWID;

  -- Failed requests only (status >= 400 or a platform code): every request is in its cp block's summary;
  -- a row each for all of them would cost more than the rest of ingest together (measured ~3 µs a row).
  CREATE TABLE failures (
    id INTEGER PRIMARY KEY,
    cid TEXT NOT NULL,
    time INTEGER NOT NULL,
    method TEXT NOT NULL,
    path TEXT NOT NULL,
    status INTEGER NOT NULL,
    code TEXT,
    org TEXT,
    user TEXT,
    key_prefix TEXT,
    wok TEXT,
    duration_ms REAL,
    message TEXT,
    blk INTEGER NOT NULL
  );
  CREATE INDEX failures_time ON failures(time);
  CREATE INDEX failures_code_time ON failures(code, time) WHERE code IS NOT NULL;
  CREATE INDEX failures_org_time ON failures(org, time) WHERE org IS NOT NULL;
  CREATE INDEX failures_wok_time ON failures(wok, time) WHERE wok IS NOT NULL;
  CREATE INDEX failures_key ON failures(key_prefix) WHERE (org IS NULL OR user IS NULL) AND key_prefix IS NOT NULL;
  CREATE INDEX failures_blk ON failures(blk);

  -- Requests per minute, wok and org ('' for none): totals for rates without a row per request.
  CREATE TABLE traffic (
    minute INTEGER NOT NULL,
    wok TEXT NOT NULL,
    org TEXT NOT NULL,
    total INTEGER NOT NULL,
    failed INTEGER NOT NULL,
    PRIMARY KEY (minute, wok, org)
  ) WITHOUT ROWID;

  CREATE TABLE counters (
    source TEXT PRIMARY KEY,
    events INTEGER NOT NULL
  );

  CREATE TABLE unparsed (
    id INTEGER PRIMARY KEY,
    stream INTEGER NOT NULL,
    offset INTEGER NOT NULL,
    line INTEGER NOT NULL,
    reason TEXT NOT NULL,
    head TEXT NOT NULL,
    time INTEGER NOT NULL,
    UNIQUE (stream, offset)
  );

  CREATE TABLE inv_orgs (slug TEXT PRIMARY KEY);
  CREATE TABLE inv_woks (
    id TEXT PRIMARY KEY,
    org TEXT NOT NULL,
    status TEXT NOT NULL,
    functions_port INTEGER,
    created_at INTEGER
  );
  CREATE TABLE inv_keys (
    prefix TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    org TEXT NOT NULL,
    user TEXT NOT NULL,
    kind TEXT NOT NULL,
    revoked_at INTEGER,
    PRIMARY KEY (prefix, sha256)
  );

  CREATE TABLE idempotency (
    key TEXT PRIMARY KEY,
    digest TEXT NOT NULL,
    result TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );

  CREATE TABLE lifecycle (
    id INTEGER PRIMARY KEY,
    event_id TEXT NOT NULL,
    container_id TEXT NOT NULL,
    wok TEXT,
    time INTEGER NOT NULL,
    state TEXT NOT NULL,
    message TEXT NOT NULL,
    blk INTEGER NOT NULL
  );
  CREATE INDEX lifecycle_wok_time ON lifecycle(wok, time);
  CREATE INDEX lifecycle_time ON lifecycle(time);
  CREATE INDEX blocks_stream ON blocks(stream, id);

  CREATE TABLE operators (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE COLLATE NOCASE,
    password_hash TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    disabled_at INTEGER
  );
  CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    operator_id INTEGER NOT NULL,
    csrf_token TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
  );
  CREATE INDEX sessions_operator ON sessions(operator_id);
  CREATE TABLE tokens (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    scope TEXT NOT NULL,
    hash TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER,
    last_used_at INTEGER
  );
  CREATE UNIQUE INDEX tokens_live_name ON tokens(name) WHERE revoked_at IS NULL;

  CREATE TABLE checks (
    id INTEGER PRIMARY KEY,
    check_name TEXT NOT NULL,
    status TEXT NOT NULL,
    time INTEGER NOT NULL,
    output TEXT
  );
  CREATE INDEX checks_time ON checks(time);
  CREATE INDEX checks_name_time ON checks(check_name, time);

  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  `;
