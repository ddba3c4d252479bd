/**
 * ingest:writes — whether this server's own follow thread is writing: pass
 * while it writes, warn while it has been paused on store errors (the
 * database restarting or failing over) for under `pausedFailAfterMs`, fail
 * after that or when the thread is not running. No reading when this server
 * follows nothing.
 */
import type { IngestStatus } from '../../model/ingest-status.js';
import type { Measurement } from '../check.js';

export const PAUSED_FAIL_AFTER_MS = 60_000;

export function ingestWrites(s: IngestStatus | null, now: number, pausedFailAfterMs = PAUSED_FAIL_AFTER_MS): Measurement[] {
  if (!s) return [];
  const base = { measurement: 'writes', componentType: 'component' as const, observedValue: s.state };
  const last = s.lastStoreError;
  const restarts = s.restarts ? `; the follow thread was started again ${s.restarts} time${s.restarts === 1 ? '' : 's'}` : '';
  switch (s.state) {
    case 'writing': {
      const context = last
        ? `last paused ${Math.round((now - last.at) / 1000)} s ago${last.pausedMs !== null ? ` for ${(last.pausedMs / 1000).toFixed(1)} s` : ''}: ${last.message}${restarts}`
        : restarts.slice(2) || undefined;
      return [{ ...base, status: 'pass', ...(context ? { context } : {}) }];
    }
    case 'paused': {
      const paused = Math.max(0, now - s.since);
      const next = s.retryAt === null ? '' : `; next try in ${Math.max(0, Math.round((s.retryAt - now) / 1000))} s`;
      return [
        {
          ...base,
          status: paused >= pausedFailAfterMs ? 'fail' : 'warn',
          output: `ingest paused for ${Math.round(paused / 1000)} s: ${s.error}; checkpoints stay where they were${next}${restarts}`,
        },
      ];
    }
    case 'stopped':
      return [{ ...base, status: 'fail', output: `the follow thread is not running: nothing is ingested${last ? ` (last store error: ${last.message})` : ''}${restarts}` }];
  }
}
