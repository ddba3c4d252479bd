/**
 * Starts the follow worker (follow-worker.ts) from the server's main thread,
 * logs what it reports, and keeps its latest state for status pages.
 */
import type { Logger } from '../../logging/logger.js';
import type { Redactor } from '../../redact/redactor.js';
import { startThread, threadEntry } from '../../threads/typed-worker.js';
import type { FollowTotals } from './follower.js';
import type { FollowThread, FollowWorkerData } from './follow-worker.js';

export interface FollowWorkerState {
  running: boolean;
  files: number;
  totals: FollowTotals | null;
  /** The last store error, until a later cycle succeeds. */
  storeError: string | null;
  problems: Map<string, string>;
}

export interface FollowWorkerHandle {
  readonly state: FollowWorkerState;
  /** Resolves with the first status after start (or when the worker stops). */
  ready: Promise<void>;
  /** Asks the worker to commit and stop; resolves when it has. */
  stop(): Promise<void>;
}

const STOP_TIMEOUT_MS = 10_000;

const FOLLOW_THREAD = threadEntry<FollowThread>(import.meta.url, 'follow-worker');

/** `redactor`: what the worker's store writes through (the worker builds its own from its configuration). */
export function startFollowWorker(data: FollowWorkerData, redactor: Redactor, logger: Logger): FollowWorkerHandle {
  const worker = startThread(FOLLOW_THREAD, data, { redactor });
  const state: FollowWorkerState = { running: true, files: 0, totals: null, storeError: null, problems: new Map() };
  let markReady: () => void = () => {};
  const ready = new Promise<void>((r) => (markReady = r));
  const exited = new Promise<void>((resolve) => {
    worker.onceExit((code) => {
      state.running = false;
      markReady();
      if (code !== 0) logger.error({ code }, 'follow worker exited');
      resolve();
    });
  });
  worker.onError((err) => logger.error({ err }, 'follow worker failed'));
  worker.onMessage((m) => {
    switch (m.type) {
      case 'started':
        logger.info({ paths: data.roots, retain_ms: data.retainMs ?? null, lease_holder: data.leases?.holder ?? null }, 'following log files');
        return;
      case 'status':
        state.totals = m.totals;
        state.files = m.files;
        state.storeError = null;
        markReady();
        return;
      case 'problem':
        state.problems.set(m.path, m.reason);
        logger.warn({ path: m.path, reason: m.reason }, 'cannot read a followed path');
        return;
      case 'restart':
        logger.info({ path: m.path, reason: m.reason }, 'followed file truncated or rewritten: reading it from the start');
        return;
      case 'store-error':
        state.storeError = m.message;
        logger.error({ reason: m.reason, retry_in_ms: m.retryInMs }, `ingest paused: ${m.message}; checkpoints stay where they were`);
        return;
      case 'lease-error':
        logger.warn({ holder: data.leases?.holder }, `stream leases not renewed: ${m.message}`);
        return;
      case 'pruned':
        if (m.removed || m.droppedDays.length) {
          logger.info({ removed: m.removed, before: new Date(m.before).toISOString(), dropped_days: m.droppedDays }, 'retention removed old events');
        }
        return;
      case 'fatal':
        logger.error({ message: m.error.message, code: m.error.code }, 'follow worker stopped on an error');
        return;
      case 'stopped':
        if (m.totals) state.totals = m.totals;
        // What this console read, and how much of it another had stored already (a re-read: with leases, none).
        if (m.totals) logger.info({ totals: m.totals, lease_holder: data.leases?.holder ?? null }, 'follow stopped');
        return;
    }
  });
  return {
    state,
    ready,
    async stop() {
      if (!state.running) return;
      worker.post('stop');
      const timer = setTimeout(() => void worker.terminate(), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}
