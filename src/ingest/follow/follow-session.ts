/**
 * `ingest --follow` in the foreground: follows until SIGINT or SIGTERM, then
 * commits and returns the totals. A store error that waiting can fix (the
 * database restarting or failing over, busy, full: store-outage.ts) pauses
 * it, says so, and it reads on from the committed checkpoints once the store
 * answers again; any other ends it with that error and no checkpoint past
 * what was committed. Messages go to `say` (stderr in the CLI).
 */
import { droppedText } from '../../store/prune-summary.js';
import type { Store } from '../../store/store.js';
import type { FollowOptions, FollowTotals } from './follower.js';
import type { LeaseSettings } from './lease-keeper.js';
import { IngestNoter } from './ingest-noter.js';
import { runFollow } from './run-follow.js';

export interface FollowSessionOptions {
  follow?: Partial<FollowOptions>;
  retainMs?: number | null;
  /** Read only the streams whose leases this process holds (beside consoles following the same paths). */
  leases?: LeaseSettings;
  say: (line: string) => void;
  /** Rewrite one status line in place (on a terminal). */
  status?: (line: string) => void;
}

export async function followUntilSignalled(store: Store, roots: readonly string[], o: FollowSessionOptions): Promise<FollowTotals> {
  const ac = new AbortController();
  const stop = () => ac.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const started = performance.now();
  let lastStatus = 0;
  // Whether it writes or is paused, and its last store error, noted in the store for `stats`.
  const notes = new IngestNoter(store, 'ingest --follow');
  try {
    return await runFollow(
      store,
      roots,
      notes.wrap({
        follow: o.follow,
        retainMs: o.retainMs ?? null,
        ...(o.leases ? { leases: { ...o.leases, onError: (e: unknown) => o.say(`stream leases not renewed: ${e instanceof Error ? e.message : String(e)}`) } } : {}),
        onStoreError: (e, retryInMs) => o.say(`ingest paused: ${e.message}; checkpoints stay where they were; trying again in ${Math.round(retryInMs / 1000)} s`),
        onResume: (pausedMs) => o.say(`ingest resumed after ${(pausedMs / 1000).toFixed(1)} s paused: reading on from the committed checkpoints`),
        onProblem: (p, reason) => o.say(`${p}: ${reason}`),
        onRestart: (p, reason) => o.say(`${p ?? 'a followed file'} was ${reason}: reading it from the start as a new stream`),
        onPrune: (r, before) => {
          if (r.events || r.droppedDays.length) o.say(`retention: removed ${r.events} events older than ${new Date(before).toISOString()}${droppedText(r.droppedDays)}`);
        },
        onCycle: (t, files) => {
          if (!o.status) return;
          const now = performance.now();
          if (now - lastStatus < 1000) return;
          lastStatus = now;
          const secs = (now - started) / 1000;
          o.status(`${files} files · ${t.lines} lines · ${(t.bytes / 1048576).toFixed(1)} MiB · ${Math.round(t.lines / Math.max(secs, 0.001))} lines/s · ${t.stored} stored · ${t.unparsed} unparsed`);
        },
      }),
      ac.signal,
    );
  } finally {
    await notes.stopped();
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}
