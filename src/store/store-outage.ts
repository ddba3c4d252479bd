/**
 * Which store errors waiting can fix. A long-running writer (`ingest
 * --follow`, the server's follow thread) pauses on these and tries again from
 * the committed checkpoints — the batch that failed was one transaction,
 * rolled back, so nothing is lost or doubled — and stops on any other.
 *
 * - 'unavailable': the server is down, restarting, cut the connection, is
 *   starting up or failing over (pg-outage.ts);
 * - 'busy': a lock or a serialisation conflict;
 * - 'full': the disk is full — freed space (or retention) lets ingest go on
 *   where it was.
 *
 * Read-only (not allowed to write), corrupt data, a schema of another version
 * and anything that is not a StoreError are not fixed by waiting.
 */
import { StoreError } from './store.js';

const WAITABLE: ReadonlySet<StoreError['reason']> = new Set(['unavailable', 'busy', 'full']);

export function waitingCanFix(e: unknown): e is StoreError {
  return e instanceof StoreError && WAITABLE.has(e.reason);
}
