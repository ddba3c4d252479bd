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
import { SCHEMA_V1 } from './schema-v1.js';

export const MIGRATIONS: readonly string[] = [
  /* 1 */ SCHEMA_V1,
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
