/**
 * The number of distinct correlation ids: a scan of the whole cid index
 * (~0.2 s a million lines). It runs on a thread of its own with its own
 * read-only connection, so `stats()` never blocks the thread that serves
 * requests; a store in memory, which no other connection can see, counts inline.
 */
import { fromThreadError, type ThreadError } from '../../threads/thread-error.js';
import { startThread, threadEntry, type ThreadProtocol } from '../../threads/typed-worker.js';
import type { Db } from './open-database.js';
import { DEFAULT_REDACTOR } from '../../redact/redactor.js';

export const DISTINCT_CIDS_SQL = 'SELECT COUNT(*) FROM (SELECT DISTINCT cid FROM cidx)';

export type DistinctCidsThread = ThreadProtocol<{ file: string }, never, { type: 'count'; count: number } | { type: 'failed'; error: ThreadError }>;

const THREAD = threadEntry<DistinctCidsThread>(import.meta.url, 'distinct-cids-thread');

export function countDistinctCids(db: Db, file: string): Promise<number> {
  if (file === ':memory:' || db.memory) return Promise.resolve(db.prepare(DISTINCT_CIDS_SQL).pluck().get() as number);
  // It reads ids only: nothing to redact, the built-in rules will do.
  const worker = startThread(THREAD, { file }, { redactor: DEFAULT_REDACTOR });
  return new Promise<number>((resolve, reject) => {
    worker.onMessage((m) => (m.type === 'failed' ? reject(fromThreadError(m.error)) : resolve(m.count)));
    worker.onError(reject);
    worker.onceExit((code) => (code !== 0 ? reject(new Error(`counting correlation ids stopped (exit code ${code})`)) : undefined));
  });
}
