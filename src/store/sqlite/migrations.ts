/**
 * The SQLite schema, as numbered migrations applied at open (user_version
 * records how far a file has come). Events live in blocks: each block holds the
 * encoded lines of one stream, one source and one container, so a batch of
 * thousands of lines is a handful of rows. The correlation-id index is written
 * in sorted segments (one per batch, merged later), so its inserts are appends
 * rather than random B-tree writes — see cid-index.ts.
 *
 * `blocks.data` and `blocks.summary` hold the lines and the summary packed
 * (block-codec.ts): BLOBs whose first byte names their codec. Blocks written
 * before packing hold TEXT there and are read as they are, so packing took no
 * migration (a TEXT column keeps a BLOB bound to it as a BLOB). Migrations 6
 * and 7 read summaries with json_each: they run only on files older than
 * packing, whose summaries are all TEXT; a later migration reading summaries
 * must unpack them in JavaScript.
 */
import { WOK_CHANGES } from '../../model/activity.js';

export const MIGRATIONS: readonly string[] = [
  /* 1 */ `
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
  `,
  /* 2 */ `
  -- digest of the bytes just before the checkpoint (Checkpoint.tail)
  ALTER TABLE streams ADD COLUMN tail TEXT;
  `,
  /* 3 */ `
  -- sign-in throttling counts (store-limiter.ts): the table rate-limiter-flexible's RateLimiterSQLite reads
  CREATE TABLE rate_limits (key TEXT PRIMARY KEY, points INTEGER NOT NULL DEFAULT 0, expire INTEGER);
  `,
  /* 4 */ `
  -- the audit of lookups (lookup-table.ts): who looked at which ticket, search, around or reply
  CREATE TABLE lookups (
    id INTEGER PRIMARY KEY,
    time INTEGER NOT NULL,
    actor_kind TEXT NOT NULL,
    actor TEXT NOT NULL,
    org TEXT,
    kind TEXT NOT NULL,
    target TEXT NOT NULL,
    address TEXT
  );
  CREATE INDEX lookups_time ON lookups(time, id);
  CREATE INDEX lookups_actor ON lookups(actor, time);
  CREATE INDEX lookups_org ON lookups(org, time) WHERE org IS NOT NULL;
  `,
  /* 5 */ `
  -- Failed requests with a code per minute, code, org and wok ('' for none): incidents and the catalogue
  -- (incident-counts.ts) read these instead of every failure row of a day or a week.
  CREATE TABLE code_minutes (
    minute INTEGER NOT NULL,
    code TEXT NOT NULL,
    org TEXT NOT NULL,
    wok TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (minute, code, org, wok)
  ) WITHOUT ROWID;
  INSERT INTO code_minutes (minute, code, org, wok, n)
    SELECT time / 60000, code, COALESCE(org, ''), COALESCE(wok, ''), COUNT(*) FROM failures WHERE code IS NOT NULL GROUP BY 1, 2, 3, 4;
  `,
  /* 6 */ `
  -- Audit entries that change a wok (model/activity.ts WOK_CHANGES), a row each: a ticket reads the change behind
  -- a failure from here instead of decoding every audit block of the hour before it.
  CREATE TABLE wok_changes (
    id INTEGER PRIMARY KEY,
    event_id TEXT NOT NULL,
    time INTEGER NOT NULL,
    cid TEXT,
    actor TEXT,
    org TEXT,
    wok TEXT,
    action TEXT NOT NULL,
    outcome TEXT,
    blk INTEGER NOT NULL
  );
  CREATE INDEX wok_changes_wok_time ON wok_changes(wok, time);
  CREATE INDEX wok_changes_blk ON wok_changes(blk);
  INSERT INTO wok_changes (event_id, time, cid, actor, org, wok, action, outcome, blk)
    SELECT s.key || ':' || json_extract(j.value, '$[0]'), json_extract(j.value, '$[1]'), json_extract(j.value, '$[2]'),
      json_extract(j.value, '$[3]'), json_extract(j.value, '$[4]'), json_extract(j.value, '$[5]'), json_extract(j.value, '$[6]'),
      json_extract(j.value, '$[7]'), b.id
    FROM blocks b JOIN streams s ON s.id = b.stream, json_each(b.summary) j
    WHERE b.source = 'audit' AND b.summary IS NOT NULL AND json_extract(j.value, '$[6]') IN (${Object.keys(WOK_CHANGES).map((a) => `'${a}'`).join(', ')})
    ORDER BY b.id, j.key;
  -- A code's requests per org in a window (a ticket's related panel) from the index alone, and a code's total from its minutes.
  DROP INDEX failures_code_time;
  CREATE INDEX failures_code_time ON failures(code, time, org) WHERE code IS NOT NULL;
  CREATE INDEX code_minutes_code ON code_minutes(code, minute, n);
`,
  /* 7 */ `
  -- Per-minute traffic keeps the key prefix of requests whose line named no org, so an inventory imported later
  -- names their org as it names their failure rows (inventory-tables.ts); rebuilt from the request summaries.
  CREATE TABLE traffic_by_key (
    minute INTEGER NOT NULL,
    wok TEXT NOT NULL,
    org TEXT NOT NULL,
    key_prefix TEXT NOT NULL,
    total INTEGER NOT NULL,
    failed INTEGER NOT NULL,
    PRIMARY KEY (minute, wok, org, key_prefix)
  ) WITHOUT ROWID;
  INSERT INTO traffic_by_key (minute, wok, org, key_prefix, total, failed)
    SELECT minute, wok, COALESCE(org, (SELECT k.org FROM inv_keys k WHERE k.prefix = kp ORDER BY k.revoked_at IS NOT NULL, k.sha256 LIMIT 1), ''),
      CASE WHEN org IS NULL THEN COALESCE(kp, '') ELSE '' END, COUNT(*), SUM(failed)
    FROM (
      SELECT json_extract(j.value, '$[0]') / 60000 AS minute, COALESCE(json_extract(j.value, '$[9]'), '') AS wok, json_extract(j.value, '$[6]') AS org,
        json_extract(j.value, '$[8]') AS kp, (json_extract(j.value, '$[4]') >= 400 OR json_extract(j.value, '$[5]') IS NOT NULL) AS failed
      FROM blocks b, json_each(b.summary) j WHERE b.source = 'cp' AND b.summary IS NOT NULL
    )
    GROUP BY 1, 2, 3, 4;
  DROP TABLE traffic;
  ALTER TABLE traffic_by_key RENAME TO traffic;
`,
  /* 8 */ `
  CREATE TABLE IF NOT EXISTS stream_leases (
    key TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    epoch INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    acquired_at INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS lease_holders (
    holder TEXT PRIMARY KEY,
    expires_at INTEGER NOT NULL,
    started_at INTEGER NOT NULL
  ) WITHOUT ROWID;
`,
  /* 9 */ `
  -- what long-running ingesters say of themselves (ingest-notes.ts): one JSON note per ingester
  CREATE TABLE ingesters (name TEXT PRIMARY KEY, note TEXT NOT NULL, seen INTEGER NOT NULL);
  `,
];
