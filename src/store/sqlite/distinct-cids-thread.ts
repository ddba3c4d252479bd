/** Counts distinct correlation ids on a read-only connection of its own (see distinct-cids.ts). */
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { DISTINCT_CIDS_SQL } from './distinct-cids.js';

const { file } = workerData as { file: string };
try {
  const db = new Database(file, { readonly: true, fileMustExist: true, timeout: 10_000 });
  try {
    parentPort!.postMessage({ count: db.prepare(DISTINCT_CIDS_SQL).pluck().get() as number });
  } finally {
    db.close();
  }
} catch (e) {
  parentPort!.postMessage({ error: (e as Error).message });
}
