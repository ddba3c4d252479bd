/**
 * `tellwang-diag prune --retain 14d | --before TIME`: deletes events (and
 * their summaries, unparsed lines and index entries) older than the cut, in
 * bounded batches so readers are never blocked for long, then checkpoints the
 * WAL so the file set shrinks back (SQLite; with a postgres:// --db the sizes
 * of files are not ours to report, so they are left out). On PostgreSQL whole
 * days go as dropped partitions, listed in the output; `--retain` there cuts
 * at the UTC midnight before the period's start (Store.retentionCut), so it
 * drops days and deletes no row one by one, while `--before` cuts exactly.
 */
import { InvalidArgumentError, type Command } from 'commander';
import { dbPath } from '../../config.js';
import { droppedText } from '../../store/prune-summary.js';
import { storeFileBytes } from '../../store/store-presence.js';
import { DB_OPTION, UsageError, withExistingStore, type CliContext } from '../context.js';
import { terminalJsonLine } from '../terminal-json.js';

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** "14d", "36h", "90m", "2w" → milliseconds. */
export function parseDuration(v: string): number | null {
  const m = /^(\d{1,6})\s*(s|m|h|d|w)$/.exec(v.trim());
  if (!m) return null;
  const ms = Number(m[1]) * UNITS[m[2]!]!;
  return ms > 0 ? ms : null;
}

/** commander argument parser for --retain. */
export function durationArg(v: string): number {
  const ms = parseDuration(v);
  if (ms === null) throw new InvalidArgumentError('a duration like 14d, 36h, 90m or 2w');
  return ms;
}

/** An absolute time: epoch ms or ISO 8601. */
export function timeArg(v: string): number {
  const t = /^\d{1,15}$/.test(v) ? Number(v) : Date.parse(v);
  if (!Number.isFinite(t)) throw new InvalidArgumentError('a time: epoch milliseconds or ISO 8601 (2026-11-01T00:00:00Z)');
  return t;
}

export function registerPrune(p: Command, ctx: CliContext): void {
  p.command('prune')
    .description('delete events older than a retention period or a time, in batches (the server keeps reading)')
    .option(...DB_OPTION)
    .option('--retain <duration>', 'keep this much history, e.g. 14d', durationArg)
    .option('--before <time>', 'delete what is older than this time (epoch ms or ISO 8601)', timeArg)
    .option('--json', 'print the result as JSON')
    .action(async (o: { db?: string; retain?: number; before?: number; json?: boolean }) => {
      if ((o.retain === undefined) === (o.before === undefined)) throw new UsageError('prune needs exactly one of --retain DURATION or --before TIME');
      const target = dbPath(o.db, ctx.env);
      const sizeBefore = storeFileBytes(target);
      const started = performance.now();
      let before = 0;
      const result = await withExistingStore(o.db, ctx, (store) => {
        before = o.before ?? store.retentionCut(Date.now() - o.retain!);
        return store.prune(before);
      });
      const removed = result.events;
      const seconds = (performance.now() - started) / 1000;
      const sizeAfter = storeFileBytes(target);
      if (o.json) {
        const dropped = result.droppedDays.map((d) => ({ day: d.day, events: d.events, other_rows_estimate: d.otherRowsEstimate, partitions: d.partitions }));
        process.stdout.write(
          terminalJsonLine({ before: new Date(before).toISOString(), removed_events: removed, dropped_days: dropped, seconds: Number(seconds.toFixed(3)), db_bytes_before: sizeBefore, db_bytes_after: sizeAfter }),
        );
      } else {
        const sizes = sizeBefore === null ? '' : `; store and WAL ${sizeBefore} → ${sizeAfter} bytes`;
        process.stdout.write(`removed ${removed} events older than ${new Date(before).toISOString()} in ${seconds.toFixed(2)} s${droppedText(result.droppedDays)}${sizes}\n`);
      }
    });
}
