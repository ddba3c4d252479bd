/**
 * Starts the follow worker (follow-worker.ts) from the server's main thread,
 * logs what it reports, keeps its latest state for status pages and the
 * `ingest` check, and starts it again when it stops unexpectedly
 * (thread-supervisor.ts; `onGiveUp` when it keeps stopping).
 */
import type { Logger } from '../../logging/logger.js';
import type { IngestStatus } from '../../model/ingest-status.js';
import type { Redactor } from '../../redact/redactor.js';
import { superviseThread } from '../../threads/thread-supervisor.js';
import { startThread, threadEntry } from '../../threads/typed-worker.js';
import type { FollowTotals } from './follower.js';
import type { FollowThread, FollowWorkerData, FollowWorkerMessage } from './follow-worker.js';

export interface FollowWorkerState {
  running: boolean;
  files: number;
  totals: FollowTotals | null;
  /** The last store error, until a later cycle succeeds. */
  storeError: string | null;
  /** Since when (epoch ms) ingest has been paused on store errors; null while it writes. */
  pausedSince: number | null;
  /** When the next attempt is due (epoch ms), while paused. */
  retryAt: number | null;
  /** The last store error of this run, kept after ingest resumes. */
  lastStoreError: { message: string; at: number; pausedMs: number | null } | null;
  /** Times the thread was started again after it stopped unexpectedly. */
  restarts: number;
  problems: Map<string, string>;
}

export interface FollowWorkerHandle {
  readonly state: FollowWorkerState;
  /** The state as the `ingest` check and /v1/stats show it. */
  status(): IngestStatus;
  /** Resolves with the first status after start (or when the worker stops). */
  ready: Promise<void>;
  /** Asks the worker to commit and stop; resolves when it has. */
  stop(): Promise<void>;
}

const STOP_TIMEOUT_MS = 10_000;

const FOLLOW_THREAD = threadEntry<FollowThread>(import.meta.url, 'follow-worker');

/**
 * `redactor`: what the worker's store writes through (the worker builds its own from its configuration).
 * `onGiveUp`: the thread stopped unexpectedly more often than the supervisor restarts it (the server exits non-zero).
 */
export function startFollowWorker(data: FollowWorkerData, redactor: Redactor, logger: Logger, onGiveUp: (reason: string) => void): FollowWorkerHandle {
  const state: FollowWorkerState = { running: true, files: 0, totals: null, storeError: null, pausedSince: null, retryAt: null, lastStoreError: null, restarts: 0, problems: new Map() };
  let markReady: () => void = () => {};
  const ready = new Promise<void>((r) => (markReady = r));
  let starts = 0;
  const thread = superviseThread<FollowThread>({
    name: 'follow thread',
    logger,
    onGiveUp: (reason) => {
      state.running = false;
      markReady();
      onGiveUp(reason);
    },
    start: () => {
      state.restarts = starts++;
      const worker = startThread(FOLLOW_THREAD, data, { redactor });
      worker.onError((err) => logger.error({ err }, 'follow worker failed'));
      worker.onMessage(onMessage);
      return worker;
    },
  });
  function onMessage(m: FollowWorkerMessage): void {
    switch (m.type) {
      case 'started':
        // A thread started again with the store open: whatever paused the one before is over.
        if (state.pausedSince !== null) onMessage({ type: 'resumed', pausedMs: Date.now() - state.pausedSince });
        logger.info({ paths: data.roots, retain_ms: data.retainMs ?? null, lease_holder: data.leases?.holder ?? null }, 'following log files');
        return;
      case 'status':
        state.totals = m.totals;
        state.files = m.files;
        markReady();
        return;
      case 'problem':
        state.problems.set(m.path, m.reason);
        logger.warn({ path: m.path, reason: m.reason }, 'cannot read a followed path');
        return;
      case 'restart':
        logger.info({ path: m.path, reason: m.reason }, 'followed file truncated or rewritten: reading it from the start');
        return;
      case 'store-error': {
        const at = Date.now();
        state.storeError = m.message;
        state.pausedSince ??= at;
        state.retryAt = at + m.retryInMs;
        state.lastStoreError = { message: m.message, at, pausedMs: null };
        logger.error({ reason: m.reason, retry_in_ms: m.retryInMs }, `ingest paused: ${m.message}; checkpoints stay where they were`);
        return;
      }
      case 'lease-error':
        logger.warn({ holder: data.leases?.holder }, `stream leases not renewed: ${m.message}`);
        return;
      case 'resumed':
        state.storeError = null;
        state.pausedSince = null;
        state.retryAt = null;
        if (state.lastStoreError) state.lastStoreError.pausedMs = m.pausedMs;
        logger.info({ paused_ms: m.pausedMs }, `ingest resumed after ${(m.pausedMs / 1000).toFixed(1)} s paused: reading on from the committed checkpoints`);
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
  }
  return {
    state,
    ready,
    status: () => followStatus(state),
    async stop() {
      await thread.stop((w) => w.post('stop'), STOP_TIMEOUT_MS);
      state.running = false;
    },
  };
}

function followStatus(s: FollowWorkerState): IngestStatus {
  const common = { restarts: s.restarts, lastStoreError: s.lastStoreError ? { ...s.lastStoreError } : null };
  if (!s.running) return { state: 'stopped', ...common };
  if (s.pausedSince !== null) return { state: 'paused', ...common, since: s.pausedSince, retryAt: s.retryAt, error: s.storeError ?? 'a store error' };
  return { state: 'writing', ...common };
}
