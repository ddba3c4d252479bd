/**
 * `tellwang-diag stats [--db FILE] [--json]`: events per source, unparsed
 * lines, distinct correlation ids, and per source file how far it has been
 * read (offset), how far behind it is (lag: bytes in the file not read yet)
 * and the time of its newest line; and, when consoles share the store, which
 * holds which stream's lease. Opens a SQLite store read-only, so it
 * works while a follower writes, and on a file that cannot be written; a
 * PostgreSQL store (a postgres:// --db) is read through its pool.
 */
import type { Command } from 'commander';
import { dbPath } from '../../config.js';
import { openStore } from '../../store/open-store.js';
import { DB_OPTION, type CliContext } from '../context.js';
import { requireExistingStore } from '../existing-store.js';
import { terminalSafe } from '../terminal-safe.js';
import { statsJson } from '../../http/present/stats-json.js';
import { streamLag } from '../../ingest/readers/stream-lag.js';
import { terminalJsonLine } from '../terminal-json.js';


const HEARTBEAT_MS = 30_000;

function ago(iso: string, now: number): string {
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  return s < 120 ? `${s} s ago` : s < 7200 ? `${Math.round(s / 60)} min ago` : `${Math.round(s / 3600)} h ago`;
}

function renderIngesters(j: ReturnType<typeof statsJson>, now: number): string[] {
  const out: string[] = [];
  for (const i of j.ingesters) {
    // A note not renewed for three beats: the process ended without saying so (killed), or cannot reach the store.
    const silent = i.state !== 'stopped' && now - Date.parse(i.seen) > 3 * HEARTBEAT_MS ? ` (no word since ${ago(i.seen, now)})` : '';
    out.push(terminalSafe(`ingest       ${i.ingester}: ${i.state} since ${i.since}${silent}`));
    const e = i.last_store_error;
    if (e) {
      const pause = e.paused_ms === null ? 'paused since then' : `paused ${(e.paused_ms / 1000).toFixed(1)} s`;
      out.push(terminalSafe(`             last store error ${e.at} (${pause}): ${e.message}`));
    }
  }
  return out;
}

function renderStats(j: ReturnType<typeof statsJson>, now: number): string {
  const out: string[] = [];
  out.push(`events       cp ${j.events.cp}   container ${j.events.container}   audit ${j.events.audit}`);
  out.push(`unparsed     ${j.unparsed}`);
  out.push(`correlation ids ${j.correlation_ids}   requests ${j.requests}`);
  out.push(`pushed batches ${j.other_streams.push}   stdin streams ${j.other_streams.stdin}   (${j.other_streams.events} events)`);
  for (const q of j.journal_sequences) out.push(`journald     sequence ${terminalSafe(q.sequence)}: stored up to entry i=${(q.next_entry - 1).toString(16)}`);
  out.push(...renderIngesters(j, now));
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
  const held = j.leases.streams.filter((l) => l.held);
  if (j.leases.holders.length || held.length) {
    out.push('');
    const live = j.leases.holders.filter((h) => h.alive).length;
    out.push(`leases       ${held.length} stream${held.length === 1 ? '' : 's'} held by ${live} live console${live === 1 ? '' : 's'}`);
    for (const h of j.leases.holders) out.push(`  ${terminalSafe(h.holder)}  ${h.alive ? 'alive' : 'stopped renewing'}  ${h.streams} streams`);
    for (const l of held) out.push(`  ${terminalSafe(l.holder)}  epoch ${l.epoch}  ${terminalSafe(l.path ?? l.stream)}`);
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
      const store = await openStore(target, { readonly: true, redactor: ctx.redactor });
      try {
        const [st, notes] = await Promise.all([store.stats(), store.ingestNotes()]);
        const j = statsJson(st, st.streams.map(streamLag), await store.leaseTable(), notes);
        process.stdout.write(o.json ? terminalJsonLine(j, 2) : renderStats(j, Date.now()));
      } finally {
        await store.close();
      }
    });
}
