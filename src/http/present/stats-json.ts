/**
 * What the store holds, as JSON: the same object for `tellwang-diag stats
 * --json` and GET /v1/stats — events per source, unparsed lines, correlation
 * ids, requests, per file its offset, lag and newest line, and which
 * console holds which stream's lease, and what each long-running ingester
 * last said of itself (writing, paused or stopped, and its last store error:
 * ingest-note.ts).
 */
import type { StreamLag } from '../../ingest/readers/stream-lag.js';
import type { IngestNote } from '../../model/ingest-note.js';
import type { LeaseTable } from '../../model/lease.js';
import { leaseView } from '../../queries/lease-view.js';
import type { Stats } from '../../store/store.js';

const iso = (t: number) => new Date(t).toISOString();

export function statsJson(st: Stats, lags: StreamLag[], leases: LeaseTable, notes: IngestNote[]) {
  const lv = leaseView(leases, st.streams);
  const files = lags.filter((l) => l.stream.kind === 'file' || l.stream.kind === 'docker');
  const other = lags.filter((l) => l.stream.kind !== 'file' && l.stream.kind !== 'docker');
  return {
    events: st.events,
    unparsed: st.unparsed,
    correlation_ids: st.correlationIds,
    requests: st.requests,
    lag_bytes: files.reduce((n, l) => n + (l.lag ?? 0), 0),
    files: files.map((l) => ({
      path: l.stream.path,
      stream: l.stream.stream,
      kind: l.stream.kind,
      container: l.stream.containerId,
      offset: l.stream.offset,
      size: l.size,
      lag_bytes: l.lag,
      lines: l.stream.line,
      events: l.stream.events,
      unparsed: l.stream.unparsed,
      invalid_utf8: l.stream.invalidUtf8,
      truncated: l.stream.truncated,
      last_line_time: l.stream.lastTime === null ? null : new Date(l.stream.lastTime).toISOString(),
      updated_at: new Date(l.stream.updatedAt).toISOString(),
    })),
    other_streams: {
      push: other.filter((l) => l.stream.kind === 'push').length,
      stdin: other.filter((l) => l.stream.kind === 'stdin').length,
      events: other.reduce((n, l) => n + l.stream.events, 0),
    },
    // Per journald sequence read through stdin, the place (cursor `i=`) of the next entry not stored yet.
    journal_sequences: other.filter((l) => l.stream.kind === 'journal').map((l) => ({ sequence: (l.stream.path ?? '').replace(/^journal:/, ''), next_entry: l.stream.offset })),
    // Consoles following the same paths into this store: who holds which stream's lease (empty when none ever did).
    leases: {
      holders: lv.holders.map((h) => ({ holder: h.holder, alive: h.alive, expires_in_ms: h.expiresInMs, streams: h.streams })),
      streams: lv.leases.map((l) => ({ stream: l.key, path: l.path, holder: l.holder, epoch: l.epoch, held: l.live, expires_in_ms: l.expiresInMs })),
    },
    // `seen`: when the ingester last wrote its note (every 30 s while it writes); much older means it ended without a word.
    ingesters: notes.map((n) => ({
      ingester: n.ingester,
      state: n.state,
      since: iso(n.since),
      seen: iso(n.seen),
      last_store_error: n.lastError ? { message: n.lastError.message, at: iso(n.lastError.at), paused_ms: n.lastError.pausedMs } : null,
    })),
  };
}
