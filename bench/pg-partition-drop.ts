/**
 * Retention of a day on PostgreSQL, timed: in the schema the PostgreSQL
 * ingest just filled, the whole corpus is copied into one day of its own
 * (2001-01-01, older than any line of the corpus: each row keeps its time of
 * day) — blocks (their lines as they were) and their correlation ids,
 * request summaries, audit and lifecycle rows, unparsed lines, and their counts — analysed and checkpointed, as autovacuum and
 * the checkpointer would have long before a day is old enough to go; then
 * `prune` is timed with its cutoff at the end of that day, through the store
 * as the CLI calls it, while another connection looks a ticket up every
 * 5 ms (the slowest of those reads is how long readers waited on the drop).
 */
import pg from 'pg';
import { PostgresStore } from '../src/store/postgres/postgres-store.js';
import { createDays, DAY_MS, partitionName, PARTITIONED } from '../src/store/postgres/pg-partitions.js';
import type { Client } from '../src/store/postgres/pg-connect.js';

/** 2001-01-01 as a day number. */
const DAY = Date.UTC(2001, 0, 1) / DAY_MS;

export interface PartitionDropResult {
  day: string;
  /** Events in the day dropped, as prune reported them. */
  events: number;
  /** The other tables' rows, as prune reported them (estimated). */
  otherRowsEstimate: number;
  /** The day's partitions with their indexes, before the drop. */
  bytes: number;
  /** Wall time of the prune that dropped the day. */
  seconds: number;
  /** Ticket lookups (block_cids, then blocks) made meanwhile, and the slowest of them (ms). */
  reads: number;
  slowestReadMs: number;
  /** Wall time of filling the day (not part of the target). */
  fillSeconds: number;
}

/** Copies every row of the corpus into DAY, keeping its time of day (the time-ordered tables, in SQL run here). */
async function fill(c: pg.Client): Promise<void> {
  const base = DAY * DAY_MS;
  const moved = (col: string) => `${base} + (${col} - floor(${col}::numeric / ${DAY_MS}) * ${DAY_MS})::bigint`;
  await c.query('BEGIN');
  await c.query(`INSERT INTO blocks (stream, off0, off1, t0, t1, source, wok, ref, n, notable, data)
                 SELECT stream, off0, off1, ${moved('t0')}, ${moved('t1')}, source, wok, ref, n, notable, data FROM blocks`);
  await c.query(`INSERT INTO block_cids (cid, t0, stream, off0) SELECT cid, ${moved('t0')}, stream, off0 FROM block_cids`);
  await c.query(`INSERT INTO requests (cid, time, method, path, status, code, org, user_name, key_prefix, wok, duration_ms, message, event_time)
                 SELECT cid, ${moved('time')}, method, path, status, code, org, user_name, key_prefix, wok, duration_ms, message, ${moved('event_time')} FROM requests`);
  await c.query(`INSERT INTO audits (event_id, time, cid, actor, org, wok, action, outcome) SELECT event_id, ${moved('time')}, cid, actor, org, wok, action, outcome FROM audits`);
  await c.query(`INSERT INTO lifecycle (event_id, container_id, wok, time, state, message) SELECT event_id, container_id, wok, ${moved('time')}, state, message FROM lifecycle`);
  await c.query(`INSERT INTO unparsed (stream, off, line, reason, head, time) SELECT stream, off, line, reason, head, ${moved('time')} FROM unparsed`);
  // The counts the writer keeps: the copies count as events of DAY.
  await c.query(`INSERT INTO event_days (day, source, events) SELECT ${DAY}, source, sum(events) FROM event_days GROUP BY source`);
  await c.query('UPDATE counters SET events = events * 2');
  await c.query('COMMIT');
}

/** `checkpoint: false` leaves the CHECKPOINT out (it writes every dirty page of the server, other databases' too): a test's. */
export async function pgPartitionDrop(connectionString: string, schema: string, say: (line: string) => void, o: { checkpoint?: boolean } = {}): Promise<PartitionDropResult> {
  const c = new pg.Client({ connectionString, options: `-c search_path=${schema}` });
  await c.connect();
  try {
    say(`PostgreSQL retention: the corpus copied into the day 2001-01-01, then that day pruned`);
    const f0 = performance.now();
    await c.query('BEGIN');
    await createDays(c as unknown as Client, schema, [DAY]);
    await c.query('COMMIT');
    await fill(c);
    const names = PARTITIONED.map(([t]) => partitionName(t, DAY));
    await c.query(`ANALYZE ${names.join(', ')}`);
    const fillSeconds = (performance.now() - f0) / 1000;
    const size = await c.query<{ b: string }>('SELECT sum(pg_total_relation_size(to_regclass(n)))::bigint AS b FROM unnest($1::text[]) n', [names]);
    // Needs a superuser or pg_checkpoint; without, the day's pages may still be dirty (a slower, less usual drop).
    if (o.checkpoint !== false) await c.query('CHECKPOINT').catch((e: unknown) => say(`no CHECKPOINT before the drop (${(e as Error).message})`));
    const store = await PostgresStore.open({ connectionString, schema });
    try {
      let reading = true;
      let reads = 0;
      let slowestReadMs = 0;
      const reader = (async () => {
        while (reading) {
          const a = performance.now();
          await c.query(`SELECT count(*) FROM blocks WHERE (stream, off0, t0) IN (SELECT stream, off0, t0 FROM block_cids WHERE cid = 'ffffffffffffffff')`);
          slowestReadMs = Math.max(slowestReadMs, performance.now() - a);
          reads++;
          await new Promise((r) => setTimeout(r, 5));
        }
      })();
      const t0 = performance.now();
      const r = await store.prune((DAY + 1) * DAY_MS).finally(() => (reading = false));
      const seconds = (performance.now() - t0) / 1000;
      await reader;
      const d = r.droppedDays.find((x) => x.day === '2001-01-01');
      if (!d) throw new Error('prune did not drop the day 2001-01-01');
      return { day: d.day, events: d.events, otherRowsEstimate: d.otherRowsEstimate, bytes: Number(size.rows[0]!.b), seconds, reads, slowestReadMs, fillSeconds };
    } finally {
      await store.close();
    }
  } finally {
    await c.end();
  }
}
