/**
 * `tellwang-diag stats [--db FILE] [--json]`: events per source, unparsed
 * lines, distinct correlation ids, and per source file how far it has been
 * read (offset), how far behind it is (lag: bytes in the file not read yet)
 * and the time of its newest line. Opens a SQLite store read-only, so it
 * works while a follower writes, and on a file that cannot be written; a
 * PostgreSQL store (a postgres:// --db) is read through its pool.
 */
import { statSync } from 'node:fs';
import type { Command } from 'commander';
import { dbPath } from '../../config.js';
import type { StreamState } from '../../model/stream.js';
import { isPostgresTarget, openStore } from '../../store/open-store.js';
import { SqliteStore } from '../../store/sqlite/sqlite-store.js';
import type { Stats } from '../../store/store.js';
import { DB_OPTION, type CliContext } from '../context.js';
import { requireExistingStore } from '../existing-store.js';
import { terminalSafe } from '../terminal-safe.js';
import { terminalJsonLine } from '../terminal-json.js';

export interface StreamLag {
  stream: StreamState;
  /** The file's size now when the path still names the same file, else its size when last read. */
  size: number | null;
  lag: number | null;
}

/** Size now of the file a stream was read from, if the path still leads to that same file. */
export function streamLag(s: StreamState): StreamLag {
  let size = s.size;
  if (s.path && (s.kind === 'file' || s.kind === 'docker')) {
    try {
      const st = statSync(s.path);
      if (s.dev === null || (st.dev === s.dev && st.ino === s.ino)) size = st.size;
    } catch {
      // gone: the size when last read stands
    }
  }
  return { stream: s, size, lag: size === null ? null : Math.max(0, size - s.offset) };
}

export function statsJson(st: Stats, lags: StreamLag[]) {
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
  };
}

function renderStats(j: ReturnType<typeof statsJson>): string {
  const out: string[] = [];
  out.push(`events       cp ${j.events.cp}   container ${j.events.container}   audit ${j.events.audit}`);
  out.push(`unparsed     ${j.unparsed}`);
  out.push(`correlation ids ${j.correlation_ids}   requests ${j.requests}`);
  out.push(`pushed batches ${j.other_streams.push}   stdin streams ${j.other_streams.stdin}   (${j.other_streams.events} events)`);
  for (const q of j.journal_sequences) out.push(`journald     sequence ${terminalSafe(q.sequence)}: stored up to entry i=${(q.next_entry - 1).toString(16)}`);
  if (j.files.length) {
    out.push('');
    out.push('offset        lag  last line                 events  unparsed  file');
    for (const f of j.files) {
      const lag = f.lag_bytes === null ? '?' : String(f.lag_bytes);
      out.push(
        `${String(f.offset).padStart(10)} ${lag.padStart(8)}  ${(f.last_line_time ?? '-').padEnd(24)} ${String(f.events).padStart(7)} ${String(f.unparsed).padStart(9)}  ${terminalSafe(f.path ?? f.stream)}`,
      );
    }
    out.push(`total lag ${j.lag_bytes} bytes`);
  }
  return out.join('\n') + '\n';
}

export function registerStats(p: Command, ctx: CliContext): void {
  p.command('stats')
    .description('what the store holds: events per source, unparsed lines, correlation ids, and per file its offset, lag and newest line')
    .option(...DB_OPTION)
    .option('--json', 'print as JSON')
    .action(async (o: { db?: string; json?: boolean }) => {
      const target = dbPath(o.db, ctx.env);
      await requireExistingStore(target);
      const store = isPostgresTarget(target) ? await openStore(target) : new SqliteStore(target, { readonly: true });
      try {
        const st = await store.stats();
        const j = statsJson(st, st.streams.map(streamLag));
        process.stdout.write(o.json ? terminalJsonLine(j, 2) : renderStats(j));
      } finally {
        await store.close();
      }
    });
}
