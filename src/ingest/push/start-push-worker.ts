/**
 * Starts the push thread (push-worker.ts) from the server and gives the HTTP
 * side a PushIngest that runs there: the body is copied over (a few ms for
 * the 8 MiB cap), answers come back in order, and its errors come back with
 * their DIAG_… codes, answered as they would be inline. A thread that stops
 * unexpectedly is started again (thread-supervisor.ts); the batches it had
 * not answered fail with a StoreError (503: nothing of them was committed
 * twice, a retry stores each once), and so do those sent while it restarts.
 */
import type { Logger } from '../../logging/logger.js';
import type { Redactor } from '../../redact/redactor.js';
import { StoreError } from '../../store/store.js';
import { fromThreadError } from '../../threads/thread-error.js';
import { superviseThread } from '../../threads/thread-supervisor.js';
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
 * `onGiveUp`: the thread stopped unexpectedly more often than it is restarted (the server exits non-zero).
 */
export async function startPushWorker(data: PushWorkerData, redactor: Redactor, logger: Logger, onGiveUp: (reason: string) => void = () => undefined): Promise<PushWorkerHandle> {
  const waiting = new Map<number, { resolve: (r: PushResult) => void; reject: (e: Error) => void }>();
  let next = 0;
  let live = false;
  let stopped = false;
  const failAll = (e: Error) => {
    for (const w of waiting.values()) w.reject(e);
    waiting.clear();
  };
  let started: { resolve: () => void; reject: (e: Error) => void } | null = null;
  const ready = new Promise<void>((resolve, reject) => (started = { resolve, reject }));
  const thread = superviseThread<PushThread>({
    name: 'push thread',
    logger,
    onGiveUp,
    start: () => {
      const worker = startThread(PUSH_THREAD, data, { redactor });
      worker.onMessage((m) => {
        if (m.type === 'ready') {
          live = true;
          return started?.resolve();
        }
        if (m.type === 'fatal') {
          logger.error({ message: m.error.message }, 'the push thread could not open the store');
          return started?.reject(new Error(`the push thread could not start: ${m.error.message}`));
        }
        const w = waiting.get(m.id);
        if (!w) return;
        waiting.delete(m.id);
        if (m.type === 'done') w.resolve(m.value);
        else w.reject(fromThreadError(m.error, 'push ingest failed'));
      });
      worker.onError((err) => logger.error({ err }, 'push thread failed'));
      worker.onceExit(() => {
        live = false;
        failAll(new StoreError('the push thread stopped before answering; send the batch again (a repeat is stored once)', 'unavailable'));
        started?.reject(new Error('the push thread stopped before it was ready'));
      });
      return worker;
    },
  });
  try {
    await ready;
  } catch (e) {
    await thread.stop(() => undefined, 0);
    throw e;
  }
  started = null;
  return {
    ingest(job: PushJob): Promise<PushResult> {
      if (stopped) return Promise.reject(new Error('the push thread has stopped'));
      if (!live) return Promise.reject(new StoreError('the push thread is starting again; send the batch again in a moment', 'unavailable'));
      const id = next++;
      const msg: PushRequest = { type: 'job', id, job };
      return new Promise<PushResult>((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        thread.worker.post(msg);
      });
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await thread.stop((w) => w.post({ type: 'stop' }), 10_000);
    },
  };
}
