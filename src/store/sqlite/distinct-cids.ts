/**
 * The number of distinct correlation ids: a scan of the whole cid index
 * (~0.2 s a million lines). It runs on a thread of its own with its own
 * read-only connection, so `stats()` never blocks the thread that serves
 * requests; a store in memory, which no other connection can see, counts inline.
 */
import { Worker } from 'node:worker_threads';
import { compiledModule } from '../../project-root.js';
import type { Db } from './open-database.js';

export const DISTINCT_CIDS_SQL = 'SELECT COUNT(*) FROM (SELECT DISTINCT cid FROM cidx)';

export function countDistinctCids(db: Db, file: string): Promise<number> {
  if (file === ':memory:' || db.memory) return Promise.resolve(db.prepare(DISTINCT_CIDS_SQL).pluck().get() as number);
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  const worker = new Worker(compiledModule(new URL(`./distinct-cids-thread${ext}`, import.meta.url).href), { workerData: { file } });
  return new Promise<number>((resolve, reject) => {
    worker.once('message', (m: { count?: number; error?: string }) => (m.error !== undefined ? reject(new Error(m.error)) : resolve(m.count!)));
    worker.once('error', reject);
    worker.once('exit', (code) => (code !== 0 ? reject(new Error(`counting correlation ids stopped (exit code ${code})`)) : undefined));
  });
}
