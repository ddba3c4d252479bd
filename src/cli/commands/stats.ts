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
        const st = await store.stats();
        const j = statsJson(st, st.streams.map(streamLag), await store.leaseTable());
        process.stdout.write(o.json ? terminalJsonLine(j, 2) : renderStats(j));
      } finally {
        await store.close();
      }
    });
}
