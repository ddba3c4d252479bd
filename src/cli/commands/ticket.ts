/**
 * `tellwang-diag ticket TEXT... | -`: what the paste box does, in a terminal.
 * The text may be a bare id, a whole error envelope, a header block, a log
 * line (as arguments, or piped on stdin): one id found and logged prints its
 * ticket; several are listed, saying which were logged; none says what the
 * text held instead. A store that does not exist is refused.
 */
import type { Command } from 'commander';
import { catalog } from '../../catalog/catalog.js';
import { ticketJson } from '../../http/present/ticket-json.js';
import { analysePaste, lookupPaste, MAX_PASTE, type LookupOutcome } from '../../queries/paste.js';
import { buildTicket } from '../../queries/ticket.js';
import { DB_OPTION, UsageError, withExistingStore, type CliContext } from '../context.js';
import { renderTicketText } from '../render-ticket.js';
import { terminalSafe } from '../terminal-safe.js';
import { terminalJsonLine } from '../terminal-json.js';

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) throw new UsageError('give a correlation id (or the pasted text), or pipe the text in: … | tellwang-diag ticket -');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of process.stdin as AsyncIterable<Buffer>) {
    chunks.push(c);
    size += c.length;
    if (size > MAX_PASTE * 4) break;
  }
  return Buffer.concat(chunks).toString('utf8').slice(0, MAX_PASTE);
}

function nothingFound(text: string, saw: string[]): UsageError {
  const t = text.trim();
  const what = /^\S{1,64}$/.test(t) ? `${JSON.stringify(terminalSafe(t.slice(0, 40)))} is not a correlation id (16 hexadecimal characters)` : 'no correlation id (16 hexadecimal characters) in the text';
  const more = saw.length ? `; it holds ${saw[0]}${saw.length > 1 ? ` (and ${saw.length - 1} more)` : ''}` : '';
  return new UsageError(terminalSafe(what + more));
}

function renderMany(o: LookupOutcome, cids: string[]): string {
  const lines = [`the text holds ${cids.length} correlation ids:`];
  for (const c of cids) lines.push(`  ${c}  ${o.known[c] ? 'logged' : 'nothing logged'}`);
  lines.push('show one: tellwang-diag ticket ID');
  return lines.join('\n') + '\n';
}

export function registerTicket(p: Command, ctx: CliContext): void {
  p.command('ticket')
    .description('everything logged for one correlation id, with the catalogued remediation; takes an id or pasted text (an envelope, a header block, several ids; - or nothing reads stdin)')
    .argument('[text...]', 'a correlation id, or pasted text holding one')
    .option(...DB_OPTION)
    .option('--json', 'print the ticket as JSON (the same as GET /v1/tickets/:cid; for several ids, as POST /v1/lookup)')
    .option('--stacks', 'include stack traces')
    .action(async (args: string[], o: { db?: string; json?: boolean; stacks?: boolean }) => {
      const text = args.length === 0 || (args.length === 1 && args[0] === '-') ? await readStdin() : args.join(' ');
      const seen = analysePaste(text);
      if (seen.kind === 'none') throw nothingFound(text, seen.saw);
      await withExistingStore(o.db, ctx, async (store) => {
        const found = await lookupPaste(store, text);
        const r = found.result;
        if (r.kind === 'none') return;
        if (r.kind === 'many') {
          process.stdout.write(o.json ? terminalJsonLine({ ...r, known: found.known }, 2) : renderMany(found, r.cids));
          process.exitCode = 1;
          return;
        }
        const t = await buildTicket(store, catalog, r.cid);
        if (!t) {
          process.stderr.write(`nothing has been logged with correlation id ${r.cid}\n`);
          process.exitCode = 1;
          return;
        }
        process.stdout.write(
          o.json
            ? terminalJsonLine(ticketJson(t, { stack: o.stacks ?? false, raw: false }), 2)
            : renderTicketText(t, { color: process.stdout.isTTY === true && !process.env.NO_COLOR, stacks: o.stacks ?? false }),
        );
      });
    });
}
