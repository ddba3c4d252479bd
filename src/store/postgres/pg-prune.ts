/**
 * Retention on PostgreSQL: old events go in chunks of PG_PRUNE_CHUNK rows, each
 * its own short statement (readers and writers go on between them), with the
 * per-source counters kept in step; then the rows derived from old lines.
 */
import { SOURCES } from '../../model/event.js';
import type { Query } from './pg-event-reads.js';

export const PG_PRUNE_CHUNK = 5000;

/** Deletes what is older than `before` (epoch ms); returns the number of events removed. */
export async function pruneBefore(q: Query, before: number): Promise<number> {
  let removed = 0;
  for (;;) {
    const [r] = await q<{ removed: number }>(
      `WITH gone AS (DELETE FROM events WHERE (stream, off) IN (SELECT stream, off FROM events WHERE time < $1 LIMIT $2) RETURNING source),
            n AS (SELECT source, count(*) AS c FROM gone GROUP BY source),
            upd AS (UPDATE counters SET events = counters.events - n.c FROM n WHERE counters.source = ($3::text[])[n.source + 1] RETURNING 1)
       SELECT COALESCE(sum(c), 0)::bigint AS removed FROM n`,
      [before, PG_PRUNE_CHUNK, SOURCES],
    );
    removed += r!.removed;
    if (r!.removed < PG_PRUNE_CHUNK) break;
  }
  // Table and column names are constants here, never input.
  for (const [table, column] of [
    ['requests', 'event_time'],
    ['audits', 'time'],
    ['lifecycle', 'time'],
    ['unparsed', 'time'],
  ] as const) {
    for (;;) {
      const [r] = await q<{ n: number }>(
        `WITH gone AS (DELETE FROM ${table} WHERE id IN (SELECT id FROM ${table} WHERE ${column} < $1 LIMIT $2) RETURNING 1) SELECT count(*) AS n FROM gone`,
        [before, PG_PRUNE_CHUNK],
      );
      if (r!.n < PG_PRUNE_CHUNK) break;
    }
  }
  await q('DELETE FROM idempotency WHERE created_at < $1', [before]);
  await q('DELETE FROM containers WHERE last_seen < $1', [before]);
  return removed;
}
