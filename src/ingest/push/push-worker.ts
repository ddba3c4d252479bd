/**
 * The push thread: pushed batches (POST /v1/ingest) are parsed and committed
 * here, on a store connection of its own (the SQLite file, or a pool on the
 * PostgreSQL schema), one job at a time in the order they came. Errors go
 * back by name, so the server answers them as it would have inline.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { setExtraPatterns } from '../../redact/redact.js';
import { compileExtraPatterns } from '../../redact/secret-patterns.js';
import { openStore } from '../../store/open-store.js';
import { IdempotencyConflict, StoreError, type Store } from '../../store/store.js';
import { inlinePush, type PushJob, type PushResult } from './push-ingest.js';

export interface PushWorkerData {
  /** A SQLite file or a postgres:// URL (open-store.ts). */
  db: string;
  /** DIAG_REDACT_PATTERNS as the server compiled them. */
  patterns: string[];
  /** DIAG_PG_LOG_LINE_PREFIX (default '%m [%p] %q%a '). */
  pgLogLinePrefix?: string;
}

export type PushError = { name: 'IdempotencyConflict'; key: string } | { name: 'StoreError'; message: string; reason: StoreError['reason'] } | { name: 'Error'; message: string };

export type PushWorkerMessage = { type: 'ready' } | { type: 'done'; id: number; value: PushResult } | { type: 'failed'; id: number; error: PushError } | { type: 'fatal'; message: string };

export type PushRequest = { type: 'job'; id: number; job: PushJob } | { type: 'stop' };

function describe(e: unknown): PushError {
  if (e instanceof IdempotencyConflict) return { name: 'IdempotencyConflict', key: e.key };
  if (e instanceof StoreError) return { name: 'StoreError', message: e.message, reason: e.reason };
  return { name: 'Error', message: e instanceof Error ? e.message : String(e) };
}

const port = parentPort;
if (!port) throw new Error('push-worker runs on a worker thread');
const data = workerData as PushWorkerData;
const post = (m: PushWorkerMessage) => port.postMessage(m);

let store: Store | null = null;
try {
  setExtraPatterns(compileExtraPatterns(data.patterns));
  store = await openStore(data.db);
  const push = inlinePush(store, data.pgLogLinePrefix);
  let queue = Promise.resolve();
  port.on('message', (m: PushRequest) => {
    if (m.type === 'stop') {
      queue = queue.then(async () => {
        await store?.close();
        store = null;
        port.close();
      });
      return;
    }
    // The body arrives as a Uint8Array (structured clone): a Buffer view over it for the parser.
    const job: PushJob = { ...m.job, body: Buffer.from(m.job.body.buffer, m.job.body.byteOffset, m.job.body.byteLength) };
    queue = queue.then(async () => {
      try {
        post({ type: 'done', id: m.id, value: await push(job) });
      } catch (e) {
        post({ type: 'failed', id: m.id, error: describe(e) });
      }
    });
  });
  post({ type: 'ready' });
} catch (e) {
  post({ type: 'fatal', message: (e as Error).message });
  await store?.close();
  port.close();
}
