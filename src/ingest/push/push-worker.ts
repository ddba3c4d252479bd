/**
 * The push thread: pushed batches (POST /v1/ingest) are parsed and committed
 * here, on a store connection of its own (the SQLite file, or a pool on the
 * PostgreSQL schema), one job at a time in the order they came. Errors go
 * back by their DIAG_… code, so the server answers them as it would have inline.
 */
import { openStoreWaiting } from '../../store/open-store-waiting.js';
import type { Store } from '../../store/store.js';
import { toThreadError, type ThreadError } from '../../threads/thread-error.js';
import { openThreadPort } from '../../threads/thread-port.js';
import type { ThreadProtocol } from '../../threads/typed-worker.js';
import { inlinePush, type PushJob, type PushResult } from './push-ingest.js';

export interface PushWorkerData {
  /** A SQLite file or a postgres:// URL (open-store.ts). */
  db: string;
  /** DIAG_PG_LOG_LINE_PREFIX (default '%m [%p] %q%a '). */
  pgLogLinePrefix?: string;
}

export type PushWorkerMessage = { type: 'ready' } | { type: 'done'; id: number; value: PushResult } | { type: 'failed'; id: number; error: ThreadError } | { type: 'fatal'; error: ThreadError };

export type PushRequest = { type: 'job'; id: number; job: PushJob } | { type: 'stop' };

/** Started with its data and the server's redactor (what its store writes through), given jobs in order, then 'stop'. */
export type PushThread = ThreadProtocol<PushWorkerData, PushRequest, PushWorkerMessage>;

const port = openThreadPort<PushThread>();
const data = port.data;
const post = (m: PushWorkerMessage) => port.post(m);

let store: Store | null = null;

/** Takes jobs in order on the open store until told to stop. */
function takeJobs(open: Store): void {
  const push = inlinePush(open, data.pgLogLinePrefix);
  let queue = Promise.resolve();
  port.onMessage((m) => {
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
        post({ type: 'failed', id: m.id, error: toThreadError(e) });
      }
    });
  });
  post({ type: 'ready' });
}

// Started again while the database is away, it waits for it; a stop before then ends the wait.
const opening = new AbortController();
port.onMessage((m) => {
  if (m.type === 'stop' && !store) opening.abort();
});
try {
  store = await openStoreWaiting(data.db, { redactor: port.redactor }, { signal: opening.signal, onWait: () => undefined });
  if (store) takeJobs(store);
  else port.close();
} catch (e) {
  post({ type: 'fatal', error: toThreadError(e) });
  await store?.close();
  port.close();
}
