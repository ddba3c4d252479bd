/**
 * Retention on PostgreSQL. Every day wholly older than the cutoff is dropped
 * as partitions (pg-partitions.ts), one day at a time: first detached from
 * their tables in one short transaction (catalogue changes only, as quick for
 * a day of ten million rows as of ten: the only moment readers of the tables
 * wait), then dropped as tables of their own, which nobody reads any more, so
 * the files' removal (the part that grows with the day's size) holds up
 * nobody. A day detached but not dropped (the process stopped in between) is
 * dropped by the next prune. The events a day held come from event_days
 * (counted at write, by the day of each block's first time: a block lies in
 * one day), so the per-source counters are kept in step, in the
 * detaching transaction, without reading the rows; the other tables' rows
 * are reported as PostgreSQL estimates them (pg_class.reltuples).
 * What is older than the cutoff inside the cutoff's own day (and in the
 * DEFAULT partitions, times outside 2000–2099) is then deleted in chunks of
 * PG_PRUNE_CHUNK rows: the blocks whose last line is older than the cutoff
 * (as SQLite prunes them: a block that ends after it stays whole) with their
 * correlation ids, and the derived rows older than it. A cutoff on a midnight
 * (retention in whole days, as `prune --retain` and follow's retention on
 * PostgreSQL ask for) deletes no row one by one.
 */
import { SOURCES } from '../../model/event.js';
import { StoreError, type DroppedDay } from '../store.js';
import type { Client } from './pg-connect.js';
import type { Query } from './pg-event-reads.js';
import { dayLabel, dayNumber, dayOfPartition, partitionLock, PARTITIONED, RETAINED, type PartitionedTable } from './pg-partitions.js';

export const PG_PRUNE_CHUNK = 5000;
/**
 * How long a detach of the health history's day waits for its table's lock
 * (readers arriving meanwhile queue behind it), and how often a detach tries
 * again, after a pause as long, before prune fails as busy.
 */
const LOCK_TIMEOUT_MS = 2000;
const ATTEMPTS = 3;
/**
 * The days of the event tables are detached under one LOCK TABLE of all of
 * them (partitions included), waiting at most this share of the server's
 * deadlock_timeout, then again after a pause, up to DETACH_ATTEMPTS times.
 * Readers and writers take these tables in orders of their own (a ticket
 * reads block_cids then blocks; a write inserts blocks then block_cids), so
 * whatever order prune locks them in, one of them can end up waiting on
 * prune while prune waits on it. Giving up before the deadlock detector
 * runs makes prune the one that steps back, every time: it releases what it
 * holds, the reader or writer goes on, and prune tries again — instead of
 * a ticket lookup or an ingest batch failing as a deadlock's victim.
 */
const DEADLOCK_SHARE = 0.4;
const DETACH_ATTEMPTS = 15;
const DETACH_PAUSE_MS = 500;
/** Days detached in one transaction when prune has a backlog of them. */
const DAYS_PER_DETACH = 7;

/** Runs one step in a transaction of its own. */
export type Tx = <T>(fn: (c: Client) => Promise<T>) => Promise<T>;

interface Partition {
  name: string;
  parent: string;
  day: number;
  tuples: number;
}

/** The day partitions of these tables whose whole day is before `beforeDay`, oldest first. */
async function partitionsBefore(q: Query, tables: readonly PartitionedTable[], beforeDay: number): Promise<Map<number, Partition[]>> {
  const rows = await q<{ name: string; parent: string; tuples: number }>(
    `SELECT c.relname AS name, p.relname AS parent, c.reltuples::float8 AS tuples
     FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
     WHERE p.relnamespace = current_schema()::regnamespace AND p.relname = ANY($1::text[])`,
    [tables],
  );
  const out = new Map<number, Partition[]>();
  for (const r of rows) {
    const day = dayOfPartition(r.name);
    if (day === null || day >= beforeDay) continue;
    const list = out.get(day) ?? [];
    list.push({ ...r, day });
    out.set(day, list);
  }
  return new Map([...out].sort((a, b) => a[0] - b[0]));
}

/** Detaches some days' partitions and takes their events from the counters, in the caller's transaction. */
async function detachDays(c: Client, schema: string, days: [number, Partition[]][]): Promise<DroppedDay[]> {
  const [t] = (await c.query<{ ms: number }>("SELECT setting::int AS ms FROM pg_settings WHERE name = 'deadlock_timeout'")).rows;
  await c.query(`SET LOCAL lock_timeout = '${Math.max(20, Math.floor((t?.ms ?? 1000) * DEADLOCK_SHARE))}ms'`);
  await c.query('SELECT pg_advisory_xact_lock(hashtext($1))', [partitionLock(schema)]);
  // Every table a day is detached from, at once, before anything else is changed (names: constants of pg-partitions.ts).
  const parents = RETAINED.filter((table) => days.some(([, parts]) => parts.some((p) => p.parent === table)));
  await c.query(`LOCK TABLE ${parents.join(', ')} IN ACCESS EXCLUSIVE MODE`);
  const out: DroppedDay[] = [];
  for (const [day, parts] of days) out.push(await detachDay(c, day, parts));
  return out;
}

async function detachDay(c: Client, day: number, parts: Partition[]): Promise<DroppedDay> {
  const counted = await c.query<{ source: number; events: number }>('DELETE FROM event_days WHERE day = $1 RETURNING source, events', [day]);
  let events = 0;
  for (const r of counted.rows) {
    events += r.events;
    await c.query('UPDATE counters SET events = events - $2 WHERE source = $1', [SOURCES[r.source], r.events]);
  }
  // Names come from the catalogue and were matched against <table>_dYYYYMMDD.
  await c.query(parts.map((p) => `ALTER TABLE ${p.parent} DETACH PARTITION ${p.name}`).join(';\n'));
  const other = parts.filter((p) => p.parent !== 'blocks' && p.parent !== 'block_cids').reduce((n, p) => n + Math.max(0, p.tuples), 0);
  return { day: dayLabel(day), events, otherRowsEstimate: Math.round(other), partitions: parts.map((p) => p.name).sort() };
}

/** Runs a drop, again after a pause when it could not get its lock in time (a long read held the table). */
async function patiently<T>(run: () => Promise<T>, attempts = ATTEMPTS, pauseMs = LOCK_TIMEOUT_MS): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (e) {
      if (attempt >= attempts || !(e instanceof StoreError) || e.reason !== 'busy') throw e;
      await new Promise((r) => setTimeout(r, pauseMs));
    }
  }
}

const DAY_TABLE = `^(${PARTITIONED.map(([t]) => t).join('|')})_d[0-9]{8}$`;

/** Drops the day tables detached from their tables (no longer partitions), in one statement. */
async function dropDetached(q: Query): Promise<void> {
  const rows = await q<{ name: string }>(
    `SELECT relname AS name FROM pg_class WHERE relnamespace = current_schema()::regnamespace AND relkind = 'r' AND NOT relispartition AND relname ~ $1`,
    [DAY_TABLE],
  );
  // Names from the catalogue, matched against <table>_dYYYYMMDD.
  if (rows.length) await q(`DROP TABLE IF EXISTS ${rows.map((r) => r.name).join(', ')}`);
}

/**
 * Drops the whole days before the cutoff's day, oldest first: detached a
 * week at a time (a backlog of days costs a transaction a week, not one a
 * day, and readers wait for the week's catalogue changes only), then dropped.
 */
export async function dropDaysBefore(q: Query, tx: Tx, schema: string, before: number): Promise<DroppedDay[]> {
  await dropDetached(q);
  const days = [...(await partitionsBefore(q, RETAINED, dayNumber(before)))];
  const dropped: DroppedDay[] = [];
  for (let i = 0; i < days.length; i += DAYS_PER_DETACH) {
    const some = days.slice(i, i + DAYS_PER_DETACH);
    dropped.push(...(await patiently(() => tx((c) => detachDays(c, schema, some)), DETACH_ATTEMPTS, DETACH_PAUSE_MS)));
    await dropDetached(q);
  }
  return dropped;
}

/**
 * Deletes what is still older than `before` (the cutoff's day, the DEFAULT
 * partitions) in chunks; returns the events removed. A block goes when its
 * last line is older than the cutoff (as on SQLite), with its correlation ids.
 */
export async function deleteBefore(q: Query, before: number): Promise<number> {
  let removed = 0;
  for (;;) {
    const [r] = await q<{ removed: number; blocks: number }>(
      `WITH gone AS (DELETE FROM blocks WHERE t0 < $1 AND t1 < $1 AND (stream, off0, t0) IN (SELECT stream, off0, t0 FROM blocks WHERE t0 < $1 AND t1 < $1 LIMIT $2)
                     RETURNING source, t0, n),
            n AS (SELECT source, sum(n) AS c FROM gone GROUP BY source),
            d AS (SELECT floor(t0 / 86400000.0)::bigint AS day, source, sum(n) AS c FROM gone GROUP BY 1, 2),
            upd AS (UPDATE counters SET events = counters.events - n.c FROM n WHERE counters.source = ($3::text[])[n.source + 1] RETURNING 1),
            updd AS (UPDATE event_days SET events = event_days.events - d.c FROM d WHERE event_days.day = d.day AND event_days.source = d.source RETURNING 1)
       SELECT COALESCE((SELECT sum(c) FROM n), 0)::bigint AS removed, (SELECT count(*) FROM gone)::bigint AS blocks`,
      [before, PG_PRUNE_CHUNK, SOURCES],
    );
    removed += r!.removed;
    if (r!.blocks < PG_PRUNE_CHUNK) break;
  }
  // The ids of blocks gone: all of times before the cutoff, so only the cutoff's day and DEFAULT are read.
  await q(
    `DELETE FROM block_cids c WHERE c.t0 < $1 AND NOT EXISTS (SELECT 1 FROM blocks b WHERE b.stream = c.stream AND b.off0 = c.off0 AND b.t0 = c.t0)`,
    [before],
  );
  // Table and column names are constants here, never input.
  for (const [table, column] of [
    ['requests', 'event_time'],
    ['audits', 'time'],
    ['lifecycle', 'time'],
    ['unparsed', 'time'],
  ] as const) {
    for (;;) {
      const [r] = await q<{ n: number }>(
        `WITH gone AS (DELETE FROM ${table} WHERE ${column} < $1 AND (id, ${column}) IN (SELECT id, ${column} FROM ${table} WHERE ${column} < $1 LIMIT $2) RETURNING 1)
         SELECT count(*) AS n FROM gone`,
        [before, PG_PRUNE_CHUNK],
      );
      if (r!.n < PG_PRUNE_CHUNK) break;
    }
  }
  await q('DELETE FROM lookups WHERE time < $1', [before]);
  await q('DELETE FROM idempotency WHERE created_at < $1', [before]);
  await q('DELETE FROM containers WHERE last_seen < $1', [before]);
  return removed;
}

/** Detaches one day of health history; answers the rows it held. */
async function detachChecksDay(c: Client, schema: string, name: string): Promise<number> {
  await c.query(`SET LOCAL lock_timeout = '${LOCK_TIMEOUT_MS}ms'`);
  await c.query('SELECT pg_advisory_xact_lock(hashtext($1))', [partitionLock(schema)]);
  const r = await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${name}`);
  await c.query(`ALTER TABLE checks DETACH PARTITION ${name}`);
  return r.rows[0]!.n;
}

/** The health history's retention: whole days dropped (their rows counted first: a few thousand a day), the rest deleted. */
export async function pruneChecksBefore(q: Query, tx: Tx, schema: string, before: number): Promise<number> {
  let n = 0;
  for (const [, parts] of await partitionsBefore(q, ['checks'], dayNumber(before))) {
    for (const p of parts) n += await patiently(() => tx((c) => detachChecksDay(c, schema, p.name)));
  }
  await dropDetached(q);
  const [r] = await q<{ n: number }>('WITH gone AS (DELETE FROM checks WHERE time < $1 RETURNING 1) SELECT count(*) AS n FROM gone', [before]);
  return n + r!.n;
}
