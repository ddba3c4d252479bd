import type { Command } from 'commander';
import { catalog } from '../../catalog/catalog.js';
import { ticketJson } from '../../http/present/ticket-json.js';
import { canonicalCid } from '../../model/event.js';
import { buildTicket } from '../../queries/ticket.js';
import { DB_OPTION, UsageError, withStore, type CliContext } from '../context.js';
import { renderTicketText } from '../render-ticket.js';
import { terminalSafe } from '../terminal-safe.js';
import { terminalJsonLine } from '../terminal-json.js';

export function registerTicket(p: Command, ctx: CliContext): void {
  p.command('ticket')
    .description('everything logged for one correlation id, with the catalogued remediation')
    .argument('<cid>')
    .option(...DB_OPTION)
    .option('--json', 'print the ticket as JSON (the same as GET /v1/tickets/:cid)')
    .option('--stacks', 'include stack traces')
    .action(async (raw: string, o: { db?: string; json?: boolean; stacks?: boolean }) => {
      const cid = canonicalCid(raw);
      if (!cid) throw new UsageError(`${JSON.stringify(terminalSafe(raw.slice(0, 40)))} is not a correlation id (16 hexadecimal characters)`);
      await withStore(o.db, ctx, async (store) => {
        const t = await buildTicket(store, catalog, cid);
        if (!t) {
          process.stderr.write(`nothing has been logged with correlation id ${cid}\n`);
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
