/**
 * `tellwang-diag unparsed [--db FILE] [--limit N] [--cursor C] [--json]`: the
 * quarantine of lines that parsed as no known format, newest first, each with
 * its file and line number, the reason, and its first bytes (already redacted).
 */
import { InvalidArgumentError, type Command } from 'commander';
import type { Unparsed } from '../../model/event.js';
import { hasCode } from '../../errors/coded-error.js';
import { DB_OPTION, UsageError, withExistingStore, type CliContext } from '../context.js';
import { terminalSafe } from '../terminal-safe.js';
import { terminalJsonLine } from '../terminal-json.js';

function limitArg(v: string): number {
  const n = Number(v);
  if (!/^\d{1,4}$/.test(v) || n < 1 || n > 1000) throw new InvalidArgumentError('a number from 1 to 1000');
  return n;
}

function where(u: Unparsed): string {
  return `${u.path ?? `stream ${u.stream}`}:${u.line}`;
}

export function renderUnparsed(items: Unparsed[], next: string | null): string {
  if (!items.length) return 'no unparsed lines\n';
  const out: string[] = [];
  for (const u of items) {
    out.push(terminalSafe(`${where(u)}  (byte ${u.offset})  ${u.reason}`));
    out.push(`    ${terminalSafe(u.head)}`);
  }
  if (next) out.push(`more: tellwang-diag unparsed --cursor ${next}`);
  return out.join('\n') + '\n';
}

export function registerUnparsed(p: Command, ctx: CliContext): void {
  p.command('unparsed')
    .description('lines that parsed as no known format, newest first, with file and line number')
    .option(...DB_OPTION)
    .option('--limit <n>', 'how many (1–1000)', limitArg, 50)
    .option('--cursor <cursor>', 'continue after an earlier page')
    .option('--json', 'print as JSON')
    .action(async (o: { db?: string; limit: number; cursor?: string; json?: boolean }) => {
      await withExistingStore(o.db, ctx, async (store) => {
        const page = await store.unparsed(o.cursor ?? null, o.limit).catch((e: unknown) => {
          throw hasCode(e, 'DIAG_INVALID_CURSOR') ? new UsageError(`--cursor: ${e.message}`) : e;
        });
        process.stdout.write(o.json ? terminalJsonLine(page, 2) : renderUnparsed(page.items, page.next));
      });
    });
}
