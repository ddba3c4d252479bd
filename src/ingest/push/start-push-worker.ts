/**
 * Starts the push thread (push-worker.ts) from the server and gives the HTTP
 * side a PushIngest that runs there: the body is copied over (a few ms for
 * the 8 MiB cap), answers come back in order, and its errors are the same
 * classes as inline.
 */
import { Worker } from 'node:worker_threads';
import type { Logger } from '../../logging/logger.js';
import { compiledModule } from '../../project-root.js';
import { IdempotencyConflict, StoreError } from '../../store/store.js';
import type { PushIngest, PushJob, PushResult } from './push-ingest.js';
import type { PushError, PushRequest, PushWorkerData, PushWorkerMessage } from './push-worker.js';

export interface PushWorkerHandle {
  ingest: PushIngest;
  /** Finishes the jobs already sent, closes the thread's store and stops it. */
  stop(): Promise<void>;
}

function rebuild(e: PushError): Error {
  if (e.name === 'IdempotencyConflict') return new IdempotencyConflict(e.key);
  if (e.name === 'StoreError') return new StoreError(e.message, e.reason);
  return new Error(`push ingest failed: ${e.message}`);
}

/** Resolves once the thread has its store open; rejects when it cannot open it. */
export async function startPushWorker(data: PushWorkerData, logger: Logger): Promise<PushWorkerHandle> {
  const file = compiledModule(import.meta.url.replace(/start-push-worker\.(ts|js)$/, 'push-worker.$1'));
  const worker = new Worker(file, { workerData: data });
  const waiting = new Map<number, { resolve: (r: PushResult) => void; reject: (e: Error) => void }>();
  let next = 0;
  let gone: Error | null = null;
  const failAll = (e: Error) => {
    gone = e;
    for (const w of waiting.values()) w.reject(e);
    waiting.clear();
  };
  const ready = new Promise<void>((resolve, reject) => {
    worker.on('message', (m: PushWorkerMessage) => {
      if (m.type === 'ready') return resolve();
      if (m.type === 'fatal') return reject(new Error(`the push thread could not start: ${m.message}`));
      const w = waiting.get(m.id);
      if (!w) return;
      waiting.delete(m.id);
      if (m.type === 'done') w.resolve(m.value);
      else w.reject(rebuild(m.error));
    });
    worker.on('error', (err) => {
      logger.error({ err }, 'push thread failed');
      failAll(new Error('the push thread failed'));
      reject(err);
    });
    worker.once('exit', (code) => {
      if (code !== 0) logger.error({ code }, 'push thread exited');
      failAll(new Error('the push thread has stopped'));
      reject(new Error('the push thread stopped before it was ready'));
    });
  });
  await ready;
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return {
    ingest(job: PushJob): Promise<PushResult> {
      if (gone) return Promise.reject(gone);
      const id = next++;
      const msg: PushRequest = { type: 'job', id, job };
      return new Promise<PushResult>((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        worker.postMessage(msg);
      });
    },
    async stop() {
      if (gone) return;
      worker.postMessage({ type: 'stop' } satisfies PushRequest);
      const timer = setTimeout(() => void worker.terminate(), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
