/**
 * `tellwang-diag copy --from STORE --to STORE`: everything one store holds
 * into another (copy-store.ts) — a SQLite file into PostgreSQL, or any store
 * into any other — resumable: run it again after an interruption and it goes
 * on where the target's checkpoints stand. Progress on a terminal; `--json`
 * prints a summary object. The source is opened read-only (a SQLite file may
 * go on being written by a follower meanwhile; running the copy again then
 * brings over what came since).
 */
import type { Command } from 'commander';
import { copyStore, COPY_PAGE_LINES, type CopyReport } from '../../store/copy-store.js';
import { CopyRefused } from '../../store/copy-refused.js';
import { openStore, storeLabel } from '../../store/open-store.js';
import { missingStore, sameStore } from '../../store/store-presence.js';
import type { Store } from '../../store/store.js';
import { intArg, type CliContext } from '../context.js';
import { terminalProgress } from '../progress.js';
import { terminalJsonLine } from '../terminal-json.js';
import { terminalSafe } from '../terminal-safe.js';

function summary(r: CopyReport, from: string, to: string, seconds: number): Record<string, unknown> {
  return {
    from: storeLabel(from),
    to: storeLabel(to),
    complete: r.complete,
    streams: { total: r.streams.total, copied: r.streams.copied, already_copied: r.streams.alreadyCopied },
    events: r.events,
    unparsed: r.unparsed,
    inventory: r.inventory,
    operators: r.operators,
    tokens: r.tokens,
    checks: r.checks,
    lookups: r.lookups,
    idempotency_keys: r.idempotencyKeys,
    seconds: Number(seconds.toFixed(3)),
  };
}

function render(r: CopyReport, from: string, to: string, seconds: number): string {
  const lines = [
    `${r.complete ? 'copied' : 'interrupted copying'} ${terminalSafe(storeLabel(from))} → ${terminalSafe(storeLabel(to))} in ${seconds.toFixed(2)} s`,
    `streams      ${r.streams.copied} copied, ${r.streams.alreadyCopied} already there, of ${r.streams.total}`,
    `lines        ${r.events} events, ${r.unparsed} unparsed`,
    `inventory    ${r.inventory.orgs} orgs, ${r.inventory.woks} woks, ${r.inventory.keys} keys`,
    `operators    ${r.operators.copied} copied, ${r.operators.kept} already there   tokens ${r.tokens.copied} copied, ${r.tokens.kept} already there`,
    `history      ${r.checks} health records, ${r.lookups} lookups, ${r.idempotencyKeys} idempotency keys`,
  ];
  if (!r.complete) lines.push('run the same command again to go on where it stopped');
  return lines.join('\n') + '\n';
}

export function registerCopy(p: Command, ctx: CliContext): void {
  p.command('copy')
    .description('copy everything a store holds into another (a SQLite file into PostgreSQL, say); run again to resume')
    .requiredOption('--from <store>', 'the store to copy: a SQLite file or a postgres:// URL (?schema=name)')
    .requiredOption('--to <store>', 'the store to copy into (created if missing): empty, or holding an earlier copy of the same source')
    .option('--page-lines <n>', `lines per transaction (default ${COPY_PAGE_LINES})`, (v) => intArg(v, 1, 100_000))
    .option('--json', 'print a summary as JSON')
    .action(async (o: { from: string; to: string; pageLines?: number; json?: boolean }) => {
      if (sameStore(o.from, o.to)) throw new CopyRefused(`--from and --to name the same store (${storeLabel(o.from)})`);
      const missing = await missingStore(o.from);
      if (missing) throw new CopyRefused(`${missing} to copy from; pass --from an existing store`);
      const started = performance.now();
      const stop = new AbortController();
      // The first Ctrl-C (or TERM) ends the copy after the transaction in flight; a second one (no handler left) ends the process at once.
      const onSignal = () => stop.abort();
      const from = await openStore(o.from, { readonly: true, redactor: ctx.redactor });
      let to: Store | null = null;
      const progress = terminalProgress();
      process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
      let report: CopyReport;
      try {
        to = await openStore(o.to, { redactor: ctx.redactor });
        report = await copyStore(from, to, {
          signal: stop.signal,
          ...(o.pageLines ? { pageLines: o.pageLines } : {}),
          onProgress: (pr) => progress.update(pr.bytes, pr.lines, pr.totalBytes),
        });
      } finally {
        progress.done();
        process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
        await from.close();
        await to?.close();
      }
      const seconds = (performance.now() - started) / 1000;
      process.stdout.write(o.json ? terminalJsonLine(summary(report, o.from, o.to, seconds)) : render(report, o.from, o.to, seconds));
      if (!report.complete) process.exitCode = 130;
    });
}
