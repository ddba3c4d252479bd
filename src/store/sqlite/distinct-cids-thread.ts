/** Counts distinct correlation ids on a read-only connection of its own (see distinct-cids.ts). */
import Database from 'better-sqlite3';
import { openThreadPort } from '../../threads/thread-port.js';
import { toThreadError } from '../../threads/thread-error.js';
import { DISTINCT_CIDS_SQL, type DistinctCidsThread } from './distinct-cids.js';

const port = openThreadPort<DistinctCidsThread>();
try {
  const db = new Database(port.data.file, { readonly: true, fileMustExist: true, timeout: 10_000 });
  try {
    port.post({ type: 'count', count: db.prepare(DISTINCT_CIDS_SQL).pluck().get() as number });
  } finally {
    db.close();
  }
} catch (e) {
  port.post({ type: 'failed', error: toThreadError(e) });
}
