/**
 * The follower inside the server, on a worker thread with its own store
 * connection to the same store (the SQLite file, or the PostgreSQL schema of
 * a postgres:// target, through a pool of its own): tailing, parsing, committing and retention
 * never run on the thread that answers HTTP. A store error that waiting can
 * fix (store-outage.ts) is reported and ingest starts over from the committed
 * checkpoints after a pause, while the server keeps answering reads; any
 * other is reported as fatal and ends the thread (start-follow-worker.ts
 * starts it again, a few times).
 */
import { openStoreWaiting } from '../../store/open-store-waiting.js';
import type { Store, StoreError } from '../../store/store.js';
import { toThreadError, type ThreadError } from '../../threads/thread-error.js';
import { openThreadPort } from '../../threads/thread-port.js';
import type { ThreadProtocol } from '../../threads/typed-worker.js';
import type { FollowOptions, FollowTotals } from './follower.js';
import type { LeaseSettings } from './lease-keeper.js';
import { IngestNoter } from './ingest-noter.js';
import { runFollow } from './run-follow.js';

export interface FollowWorkerData {
  /** A SQLite file or a postgres:// URL (open-store.ts). */
  db: string;
  roots: string[];
  follow?: Partial<FollowOptions>;
  retainMs?: number | null;
  /** Read only the streams whose leases this console holds (several consoles on one store). */
  leases?: LeaseSettings;
  /** How often a status message is sent (ms). */
  statusEveryMs?: number;
}

export type FollowWorkerMessage =
  | { type: 'started' }
  | { type: 'status'; totals: FollowTotals; files: number }
  | { type: 'problem'; path: string; reason: string }
  | { type: 'restart'; path: string | null; reason: string }
  | { type: 'store-error'; message: string; reason: string; retryInMs: number }
  | { type: 'pruned'; removed: number; before: number; droppedDays: string[] }
  | { type: 'lease-error'; message: string }
  | { type: 'resumed'; pausedMs: number }
  | { type: 'fatal'; error: ThreadError }
  | { type: 'stopped'; totals: FollowTotals | null };

/** Started with its data and the server's redactor (what its store writes through), told 'stop' to commit and end. */
export type FollowThread = ThreadProtocol<FollowWorkerData, 'stop', FollowWorkerMessage>;

const port = openThreadPort<FollowThread>();
const data = port.data;
const post = (m: FollowWorkerMessage) => port.post(m);
const ac = new AbortController();
port.onMessage((m) => {
  if (m === 'stop') ac.abort();
});
// The follow loop's timers keep the thread alive; the port alone must not once the loop has ended.
port.unref();

let totals: FollowTotals | null = null;
let store: Store | null = null;
let notes: IngestNoter | null = null;
/** Told to stop while waiting for the database: no error to report. */
const STOPPED_WAITING = new Error('stopped while waiting for the store');
try {
  // Started again while the database is away, it waits for it (paused, as after a failed write).
  let waitingSince: number | null = null;
  const onWait = (e: StoreError, retryInMs: number) => {
    waitingSince ??= Date.now();
    post({ type: 'store-error', message: e.message, reason: e.reason, retryInMs });
  };
  store = await openStoreWaiting(data.db, { redactor: port.redactor }, { signal: ac.signal, onWait });
  if (!store) throw STOPPED_WAITING;
  if (waitingSince !== null) post({ type: 'resumed', pausedMs: Date.now() - waitingSince });
  post({ type: 'started' });
  let lastStatus = 0;
  const every = data.statusEveryMs ?? 1000;
  // Whether it writes or is paused, and its last store error, noted in the store for `stats`.
  notes = new IngestNoter(store, 'serve --follow');
  totals = await runFollow(
    store,
    data.roots,
    notes.wrap({
      follow: data.follow,
      retainMs: data.retainMs ?? null,
      onProblem: (path, reason) => post({ type: 'problem', path, reason }),
      onRestart: (path, reason) => post({ type: 'restart', path, reason }),
      onStoreError: (e, retryInMs) => post({ type: 'store-error', message: e.message, reason: e.reason, retryInMs }),
      onResume: (pausedMs) => post({ type: 'resumed', pausedMs }),
      onPrune: (r, before) => post({ type: 'pruned', removed: r.events, before, droppedDays: r.droppedDays.map((d) => d.day) }),
      ...(data.leases ? { leases: { ...data.leases, onError: (e: unknown) => post({ type: 'lease-error', message: e instanceof Error ? e.message : String(e) }) } } : {}),
      onCycle: (t, files) => {
        const now = Date.now();
        if (now - lastStatus < every) return;
        lastStatus = now;
        post({ type: 'status', totals: t, files });
      },
    }),
    ac.signal,
  );
} catch (e) {
  if (e !== STOPPED_WAITING) post({ type: 'fatal', error: toThreadError(e) });
} finally {
  await notes?.stopped();
  await store?.close();
  post({ type: 'stopped', totals });
}
