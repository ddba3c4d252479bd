/**
 * Retention on SQLite: deletes the blocks that ended before a time, a bounded
 * chunk per IMMEDIATE transaction (readers and the writer get the lock
 * between chunks), with the rows derived from them, then the per-minute
 * traffic, unparsed lines, idempotency keys and containers older than that,
 * the cid-index entries pointing at deleted blocks, and a WAL checkpoint so
 * the log file shrinks back.
 */
import type { CidIndex } from './cid-index.js';
import { mapSqliteError, type Db } from './open-database.js';
import type { Statements } from './statements.js';

const PRUNE_CHUNK = 500;

/** Returns the number of events removed. */
export function pruneBefore(db: Db, st: Statements, cids: CidIndex, before: number): number {
  let removed = 0;
  try {
    const select = st.stmt('SELECT id, n FROM blocks WHERE t1 < ? ORDER BY id LIMIT ?');
    for (;;) {
      const chunk = select.all(before, PRUNE_CHUNK) as { id: number; n: number }[];
      if (!chunk.length) break;
      // The ids are integers read just above; they vary per chunk, so these statements are prepared each time, not cached.
      const ids = chunk.map((c) => c.id).join(',');
      db.transaction(() => {
        db.prepare(`UPDATE counters SET events = events - COALESCE((SELECT SUM(n) FROM blocks WHERE id IN (${ids}) AND blocks.source = counters.source), 0)`).run();
        db.prepare(`DELETE FROM failures WHERE blk IN (${ids})`).run();
        db.prepare(`DELETE FROM lifecycle WHERE blk IN (${ids})`).run();
        db.prepare(`DELETE FROM wok_changes WHERE blk IN (${ids})`).run();
        db.prepare(`DELETE FROM blocks WHERE id IN (${ids})`).run();
      }).immediate();
      removed += chunk.reduce((n, c) => n + c.n, 0);
    }
    st.stmt('DELETE FROM traffic WHERE minute < ?').run(Math.floor(before / 60_000));
    st.stmt('DELETE FROM code_minutes WHERE minute < ?').run(Math.floor(before / 60_000));
    st.stmt('DELETE FROM unparsed WHERE time < ?').run(before);
    st.stmt('DELETE FROM idempotency WHERE created_at < ?').run(before);
    st.stmt('DELETE FROM containers WHERE last_seen < ?').run(before);
    cids.dropBefore(before);
    cids.cleanBefore(before);
    db.pragma('wal_checkpoint(TRUNCATE)');
  } catch (e) {
    throw mapSqliteError(e, 'pruning');
  }
  return removed;
}
