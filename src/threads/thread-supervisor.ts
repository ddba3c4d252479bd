/**
 * Keeps a long-running thread of the server (the follow thread) running: a
 * thread that ends without having been asked to — an uncaught error, or an
 * error it reported as fatal and stopped on — is started again after a short
 * pause, at most `maxRestarts` times in `windowMs`. One that keeps ending
 * gives up: `onGiveUp` is told why (the server then logs it and exits
 * non-zero), so the process never goes on answering with the thread gone.
 */
import type { Logger } from '../logging/logger.js';
import type { AnyThreadProtocol, TypedWorker } from './typed-worker.js';

export interface SuperviseOptions<P extends AnyThreadProtocol> {
  /** How the thread is named in the log ('follow thread'). */
  name: string;
  /** Starts one thread, its listeners attached; called again for each restart. */
  start: () => TypedWorker<P>;
  logger: Logger;
  /** The thread keeps ending: the process is to end, non-zero. */
  onGiveUp: (reason: string) => void;
  /** Restarts allowed in `windowMs` (default 3 in 60 s). */
  maxRestarts?: number;
  windowMs?: number;
  /** Pause before a restart (default 1 s). */
  pauseMs?: number;
  now?: () => number;
}

export interface SupervisedThread<P extends AnyThreadProtocol> {
  /** The thread running now (a new one after a restart). */
  readonly worker: TypedWorker<P>;
  /** Whether a thread is running or about to be restarted. */
  readonly running: boolean;
  /** Restarts so far. */
  readonly restarts: number;
  /** Resolves once the current thread has exited. */
  readonly exited: Promise<void>;
  /** No more restarts: the thread is asked to stop by `ask`, terminated after `timeoutMs`; resolves once it has exited. */
  stop(ask: (w: TypedWorker<P>) => void, timeoutMs: number): Promise<void>;
}

export function superviseThread<P extends AnyThreadProtocol>(o: SuperviseOptions<P>): SupervisedThread<P> {
  const now = o.now ?? Date.now;
  const max = o.maxRestarts ?? 3;
  const windowMs = o.windowMs ?? 60_000;
  const recent: number[] = [];
  let stopping = false;
  let running = true;
  let restarts = 0;
  let worker: TypedWorker<P>;
  let exited: Promise<void>;
  let pending: NodeJS.Timeout | null = null;

  const launch = () => {
    worker = o.start();
    let failure: string | null = null;
    worker.onError((err) => (failure = err.message));
    exited = new Promise<void>((resolve) => {
      worker.onceExit((code) => {
        resolve();
        if (stopping) return;
        const why = failure ?? (code === 0 ? 'it stopped on its own' : `exit code ${code}`);
        const t = now();
        while (recent.length && t - recent[0]! > windowMs) recent.shift();
        if (recent.length >= max) {
          running = false;
          o.logger.fatal({ thread: o.name, restarts: recent.length, window_ms: windowMs, reason: why }, `${o.name} keeps stopping (${why}): giving up`);
          o.onGiveUp(`${o.name} stopped ${recent.length + 1} times in ${Math.round(windowMs / 1000)} s (last: ${why})`);
          return;
        }
        recent.push(t);
        restarts++;
        o.logger.error({ thread: o.name, restart: recent.length, of: max, reason: why }, `${o.name} stopped unexpectedly (${why}): starting it again`);
        pending = setTimeout(() => {
          pending = null;
          if (!stopping) launch();
        }, o.pauseMs ?? 1000);
      });
    });
  };
  launch();

  return {
    get worker() {
      return worker;
    },
    get running() {
      return running;
    },
    get restarts() {
      return restarts;
    },
    get exited() {
      return exited;
    },
    async stop(ask, timeoutMs) {
      stopping = true;
      if (pending) {
        clearTimeout(pending);
        pending = null;
      }
      if (!running) return;
      running = false;
      ask(worker);
      const timer = setTimeout(() => void worker.terminate(), timeoutMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
