import type { Command } from 'commander';
import { ingestPaths } from '../../ingest/ingest-paths.js';
import { DEFAULT_INGEST } from '../../ingest/stream-ingester.js';
import { readInventoryFile } from '../../ingest/inventory-file.js';
import { checkFollowPaths } from '../../ingest/follow/follow-targets.js';
import { followUntilSignalled } from '../../ingest/follow/follow-session.js';
import { leaseHolderId } from '../../ingest/follow/lease-keeper.js';
import { durationArg } from './prune.js';
import { bulkIngestOnThread } from '../../ingest/bulk/run-ingest-thread.js';
import { dbPath, leaseTiming, pgLogLinePrefix } from '../../config.js';
import { compilePgPrefix } from '../../ingest/parsers/pg-prefix.js';
import { bytesArg, DB_OPTION, intArg, UsageError, withStore, type CliContext } from '../context.js';
import { terminalProgress } from '../progress.js';
import { ingestReportJson, renderIngestReport } from '../report-ingest.js';
import { terminalSafe } from '../terminal-safe.js';
import { terminalJsonLine } from '../terminal-json.js';

export function registerIngest(p: Command, ctx: CliContext): void {
  p.command('ingest')
    .description('read cp, container and audit logs (files, directories, Docker container dirs, - for stdin) into the store')
    .argument('<paths...>')
    .option(...DB_OPTION)
    .option('--final', 'files will not grow: take a last line without a newline as complete')
    .option('--max-line <bytes>', 'longest line kept whole; longer lines are kept truncated', bytesArg, DEFAULT_INGEST.maxLine)
    .option('--json', 'print the report as JSON')
    .option('--threads <n>', 'parser threads (default: one per core; 0 reads on this thread)', (v) => intArg(v, 0, 64))
    .option('--follow', 'keep reading as the files grow, rotate and appear (until Ctrl-C)')
    .option('--retain <duration>', 'with --follow: delete events older than this (e.g. 14d), in batches', durationArg)
    .option('--pg-log-line-prefix <prefix>', "log_line_prefix of the PostgreSQL text logs read (default $DIAG_PG_LOG_LINE_PREFIX or '%m [%p] %q%a ')")
    .action(async (paths: string[], o: { db?: string; final?: boolean; maxLine: number; json?: boolean; follow?: boolean; retain?: number; threads?: number; pgLogLinePrefix?: string }) => {
      const prefix = o.pgLogLinePrefix ?? pgLogLinePrefix(ctx.env);
      try {
        compilePgPrefix(prefix);
      } catch (e) {
        throw new UsageError(`--pg-log-line-prefix: ${(e as Error).message}`);
      }
      if (o.follow) {
        const roots = checkFollowPaths(paths);
        await withStore(o.db, ctx, async (store) => {
          const tty = process.stderr.isTTY === true;
          const say = (line: string) => process.stderr.write(`${tty ? '\r\x1b[K' : ''}${terminalSafe(line)}\n`);
          say(`following ${roots.length} path${roots.length === 1 ? '' : 's'} (Ctrl-C to stop)`);
          const t = await followUntilSignalled(store, roots, {
            follow: { maxLine: o.maxLine, pgLogLinePrefix: prefix },
            retainMs: o.retain ?? null,
            leases: { holder: leaseHolderId(), ...leaseTiming(ctx.env) },
            say,
            status: tty ? (line) => process.stderr.write(`\r\x1b[K${line}`) : undefined,
          });
          const summary = { lines: t.lines, bytes: t.bytes, stored: t.stored, unparsed: t.unparsed, duplicates: t.duplicates, restarts: t.restarts };
          process.stdout.write(o.json ? terminalJsonLine(summary) : `${tty ? '\n' : ''}stopped: read ${t.lines} lines, stored ${t.stored} events, ${t.unparsed} unparsed\n`);
        });
        return;
      }
      const progress = terminalProgress();
      const opts = { final: o.final ?? false, maxLine: o.maxLine, pgLogLinePrefix: prefix, onProgress: progress.update };
      // Files go through the parser threads, which hand the store prepared blocks (writePrepared) on an ingest
      // thread that opens the store itself (this thread does not: opening and closing it twice cost start-up and
      // close time); standard input is one stream, read here and written through writeBatch.
      const bulk = !paths.includes('-') && o.threads !== 0;
      const r = bulk
        ? await bulkIngestOnThread(dbPath(o.db, ctx.env), paths, ctx.redactor, { ...opts, ...(o.threads ? { workers: o.threads } : {}) })
        : await withStore(o.db, ctx, (store) => ingestPaths(store, paths, opts));
      progress.done();
      process.stdout.write(o.json ? terminalJsonLine(ingestReportJson(r), 2) : renderIngestReport(r));
    });

  p.command('inventory')
    .description("import a JSON snapshot of the cp's orgs, woks and API keys (replaces the previous one)")
    .argument('<file>')
    .option(...DB_OPTION)
    .action(async (file: string, o: { db?: string }) => {
      const inv = readInventoryFile(file);
      await withStore(o.db, ctx, async (store) => {
        const n = await store.putInventory(inv);
        process.stdout.write(`imported ${n.orgs} orgs, ${n.woks} woks, ${n.keys} keys\n`);
      });
    });
}
