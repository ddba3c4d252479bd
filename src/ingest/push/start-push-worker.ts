/**
 * Starts the push thread (push-worker.ts) from the server and gives the HTTP
 * side a PushIngest that runs there: the body is copied over (a few ms for
 * the 8 MiB cap), answers come back in order, and its errors come back with
 * their DIAG_… codes, answered as they would be inline.
 */
import type { Logger } from '../../logging/logger.js';
import type { Redactor } from '../../redact/redactor.js';
import { fromThreadError } from '../../threads/thread-error.js';
import { startThread, threadEntry } from '../../threads/typed-worker.js';
import type { PushIngest, PushJob, PushResult } from './push-ingest.js';
import type { PushRequest, PushThread, PushWorkerData } from './push-worker.js';

export interface PushWorkerHandle {
  ingest: PushIngest;
  /** Finishes the jobs already sent, closes the thread's store and stops it. */
  stop(): Promise<void>;
}

const PUSH_THREAD = threadEntry<PushThread>(import.meta.url, 'push-worker');

/**
 * Resolves once the thread has its store open; rejects when it cannot open it.
 * `redactor`: what the thread's store writes through (the thread builds its own from its configuration).
 */
export async function startPushWorker(data: PushWorkerData, redactor: Redactor, logger: Logger): Promise<PushWorkerHandle> {
  const worker = startThread(PUSH_THREAD, data, { redactor });
  const waiting = new Map<number, { resolve: (r: PushResult) => void; reject: (e: Error) => void }>();
  let next = 0;
  let gone: Error | null = null;
  const failAll = (e: Error) => {
    gone = e;
    for (const w of waiting.values()) w.reject(e);
    waiting.clear();
  };
  const ready = new Promise<void>((resolve, reject) => {
    worker.onMessage((m) => {
      if (m.type === 'ready') return resolve();
      if (m.type === 'fatal') return reject(new Error(`the push thread could not start: ${m.error.message}`));
      const w = waiting.get(m.id);
      if (!w) return;
      waiting.delete(m.id);
      if (m.type === 'done') w.resolve(m.value);
      else w.reject(fromThreadError(m.error, 'push ingest failed'));
    });
    worker.onError((err) => {
      logger.error({ err }, 'push thread failed');
      failAll(new Error('the push thread failed'));
      reject(err);
    });
    worker.onceExit((code) => {
      if (code !== 0) logger.error({ code }, 'push thread exited');
      failAll(new Error('the push thread has stopped'));
      reject(new Error('the push thread stopped before it was ready'));
    });
  });
  await ready;
  const exited = new Promise<void>((resolve) => worker.onceExit(() => resolve()));
  return {
    ingest(job: PushJob): Promise<PushResult> {
      if (gone) return Promise.reject(gone);
      const id = next++;
      const msg: PushRequest = { type: 'job', id, job };
      return new Promise<PushResult>((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        worker.post(msg);
      });
    },
    async stop() {
      if (gone) return;
      worker.post({ type: 'stop' });
      const timer = setTimeout(() => void worker.terminate(), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
