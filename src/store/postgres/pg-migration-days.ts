/**
 * The migration that puts the time-ordered tables into day partitions
 * (pg-partitions.ts): each table is renamed aside, made again PARTITION BY
 * RANGE on its time column with a DEFAULT partition for times outside the
 * years 2000–2099, given a partition for every day its rows fall on, filled
 * from the old table, indexed, and the old table dropped — all inside the
 * migration's transaction, so a store written by an earlier version opens
 * with its rows where they were. The keys now hold the partition column
 * (PostgreSQL's unique keys must): events (stream, off, time), which still
 * dedups a line sent again, as the line's time is its own; the bigserial ids
 * become (id, time), their sequences kept so ids go on from where they were.
 * event_days holds the events per day and source, counted at write, so
 * dropping a day knows how many events it held without counting them.
 */
import { DAY_MS, END_DAY, FIRST_DAY } from './pg-partitions.js';

interface Table {
  name: string;
  column: string;
  /** Column definitions and key, as CREATE TABLE takes them. */
  body: string;
  /** The old table's constraints and indexes, dropped before the new ones take their names. */
  oldConstraints: string[];
  oldIndexes: string[];
  /** The bigserial sequence the table keeps, if any. */
  sequence?: string;
  columns: string;
  indexes: string[];
}

const TABLES: Table[] = [
  {
    name: 'events',
    column: 'time',
    body: `stream integer NOT NULL, off bigint NOT NULL, time bigint NOT NULL, source smallint NOT NULL, cid text COLLATE "C", wok text COLLATE "C",
           ref integer, notable boolean NOT NULL, data text NOT NULL, PRIMARY KEY (stream, off, time)`,
    oldConstraints: ['events_pkey'],
    oldIndexes: ['events_cid', 'events_wok_time', 'events_ref_time', 'events_time'],
    columns: 'stream, off, time, source, cid, wok, ref, notable, data',
    indexes: [
      'CREATE INDEX events_cid ON events (cid) WHERE cid IS NOT NULL',
      'CREATE INDEX events_wok_time ON events (wok, time) WHERE wok IS NOT NULL',
      'CREATE INDEX events_ref_time ON events (ref, time) WHERE ref IS NOT NULL',
      'CREATE INDEX events_time ON events (time)',
    ],
  },
  {
    name: 'requests',
    column: 'event_time',
    body: `id bigint NOT NULL DEFAULT nextval('requests_id_seq'), cid text COLLATE "C" NOT NULL, time bigint NOT NULL, method text NOT NULL, path text NOT NULL,
           status integer NOT NULL, code text COLLATE "C", org text COLLATE "C", user_name text, key_prefix text COLLATE "C", wok text COLLATE "C",
           duration_ms double precision, message text, event_time bigint NOT NULL, PRIMARY KEY (id, event_time)`,
    oldConstraints: ['requests_pkey'],
    oldIndexes: ['requests_time', 'requests_code_time', 'requests_org_time', 'requests_wok_time', 'requests_key', 'requests_event_time'],
    sequence: 'requests_id_seq',
    columns: 'id, cid, time, method, path, status, code, org, user_name, key_prefix, wok, duration_ms, message, event_time',
    indexes: [
      'CREATE INDEX requests_time ON requests (time, id)',
      'CREATE INDEX requests_code_time ON requests (code, time) WHERE code IS NOT NULL',
      'CREATE INDEX requests_org_time ON requests (org, time) WHERE org IS NOT NULL',
      'CREATE INDEX requests_wok_time ON requests (wok, time) WHERE wok IS NOT NULL',
      'CREATE INDEX requests_key ON requests (key_prefix) WHERE (org IS NULL OR user_name IS NULL) AND key_prefix IS NOT NULL',
      'CREATE INDEX requests_event_time ON requests (event_time)',
    ],
  },
  {
    name: 'unparsed',
    column: 'time',
    // time is when the line was read: a line read again is kept out by the stream's checkpoint (write-rules.ts), this key only backs it.
    body: `id bigint NOT NULL DEFAULT nextval('unparsed_id_seq'), stream integer NOT NULL, off bigint NOT NULL, line bigint NOT NULL, reason text NOT NULL,
           head bytea NOT NULL, time bigint NOT NULL, PRIMARY KEY (id, time), UNIQUE (stream, off, time)`,
    oldConstraints: ['unparsed_pkey', 'unparsed_stream_off_key'],
    oldIndexes: ['unparsed_time'],
    sequence: 'unparsed_id_seq',
    columns: 'id, stream, off, line, reason, head, time',
    indexes: ['CREATE INDEX unparsed_time ON unparsed (time)'],
  },
  {
    name: 'audits',
    column: 'time',
    body: `id bigint NOT NULL DEFAULT nextval('audits_id_seq'), event_id text NOT NULL, time bigint NOT NULL, cid text, actor text, org text COLLATE "C",
           wok text COLLATE "C", action text NOT NULL, outcome text, PRIMARY KEY (id, time)`,
    oldConstraints: ['audits_pkey'],
    oldIndexes: ['audits_time', 'audits_wok_time', 'audits_org_time'],
    sequence: 'audits_id_seq',
    columns: 'id, event_id, time, cid, actor, org, wok, action, outcome',
    indexes: [
      'CREATE INDEX audits_time ON audits (time)',
      'CREATE INDEX audits_wok_time ON audits (wok, time) WHERE wok IS NOT NULL',
      'CREATE INDEX audits_org_time ON audits (org, time) WHERE org IS NOT NULL',
    ],
  },
  {
    name: 'lifecycle',
    column: 'time',
    body: `id bigint NOT NULL DEFAULT nextval('lifecycle_id_seq'), event_id text NOT NULL, container_id text COLLATE "C" NOT NULL, wok text COLLATE "C",
           time bigint NOT NULL, state text NOT NULL, message text NOT NULL, PRIMARY KEY (id, time)`,
    oldConstraints: ['lifecycle_pkey'],
    oldIndexes: ['lifecycle_wok_time', 'lifecycle_time'],
    sequence: 'lifecycle_id_seq',
    columns: 'id, event_id, container_id, wok, time, state, message',
    indexes: ['CREATE INDEX lifecycle_wok_time ON lifecycle (wok, time)', 'CREATE INDEX lifecycle_time ON lifecycle (time)'],
  },
  {
    name: 'lookups',
    column: 'time',
    body: `id bigint NOT NULL DEFAULT nextval('lookups_id_seq'), time bigint NOT NULL, actor_kind text NOT NULL, actor text COLLATE "C" NOT NULL,
           org text COLLATE "C", kind text NOT NULL, target text NOT NULL, address text, PRIMARY KEY (id, time)`,
    oldConstraints: ['lookups_pkey'],
    oldIndexes: ['lookups_time', 'lookups_actor', 'lookups_org'],
    sequence: 'lookups_id_seq',
    columns: 'id, time, actor_kind, actor, org, kind, target, address',
    indexes: [
      'CREATE INDEX lookups_time ON lookups (time, id)',
      'CREATE INDEX lookups_actor ON lookups (actor, time)',
      'CREATE INDEX lookups_org ON lookups (org, time) WHERE org IS NOT NULL',
    ],
  },
  {
    name: 'checks',
    column: 'time',
    body: `id bigint NOT NULL DEFAULT nextval('checks_id_seq'), check_name text COLLATE "C" NOT NULL, status text NOT NULL, time bigint NOT NULL, output text,
           PRIMARY KEY (id, time)`,
    oldConstraints: ['checks_pkey'],
    oldIndexes: ['checks_time', 'checks_name_time'],
    sequence: 'checks_id_seq',
    columns: 'id, check_name, status, time, output',
    indexes: ['CREATE INDEX checks_time ON checks (time)', 'CREATE INDEX checks_name_time ON checks (check_name, time)'],
  },
];

const LO = FIRST_DAY * DAY_MS;
const HI = END_DAY * DAY_MS;

function partitionTable(t: Table): string {
  const old = `${t.name}_v4`;
  return `
  ALTER TABLE ${t.name} RENAME TO ${old};
  ${t.oldConstraints.map((c) => `ALTER TABLE ${old} DROP CONSTRAINT ${c};`).join(' ')}
  ${t.oldIndexes.map((i) => `DROP INDEX ${i};`).join(' ')}
  CREATE TABLE ${t.name} (${t.body}) PARTITION BY RANGE (${t.column});
  CREATE TABLE ${t.name}_default PARTITION OF ${t.name} (CONSTRAINT ${t.name}_default_outside CHECK (${t.column} < ${LO} OR ${t.column} >= ${HI})) DEFAULT;
  DO $$
  DECLARE d bigint;
  BEGIN
    FOR d IN SELECT DISTINCT ${t.column} / ${DAY_MS} FROM ${old} WHERE ${t.column} >= ${LO} AND ${t.column} < ${HI} ORDER BY 1 LOOP
      EXECUTE format('CREATE TABLE %I PARTITION OF ${t.name} FOR VALUES FROM (%s) TO (%s)',
        '${t.name}_d' || to_char(to_timestamp(d * 86400) AT TIME ZONE 'UTC', 'YYYYMMDD'), d * ${DAY_MS}, (d + 1) * ${DAY_MS});
    END LOOP;
  END $$;
  INSERT INTO ${t.name} (${t.columns}) SELECT ${t.columns} FROM ${old};
  ${t.sequence ? `ALTER SEQUENCE ${t.sequence} OWNED BY ${t.name}.id;` : ''}
  DROP TABLE ${old};
  ${t.indexes.join(';\n  ')};
  `;
}

export const DAY_PARTITIONS_MIGRATION = `
  ${TABLES.map(partitionTable).join('\n')}
  -- Events per UTC day (floor of time / 86,400,000, times outside the partitioned years too) and source, kept at write.
  CREATE TABLE event_days (day bigint NOT NULL, source smallint NOT NULL, events bigint NOT NULL, PRIMARY KEY (day, source));
  INSERT INTO event_days (day, source, events) SELECT floor(time / ${DAY_MS}.0)::bigint, source, count(*) FROM events GROUP BY 1, 2;
  ANALYZE events, requests, unparsed, audits, lifecycle, lookups, checks;
  `;
