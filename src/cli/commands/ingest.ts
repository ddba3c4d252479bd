import type { Command } from 'commander';
import { ingestPaths } from '../../ingest/ingest-paths.js';
import { DEFAULT_INGEST } from '../../ingest/stream-ingester.js';
import { readInventoryFile } from '../../ingest/inventory-file.js';
import { bytesArg, DB_OPTION, withStore, type CliContext } from '../context.js';
import { ingestReportJson, renderIngestReport } from '../report-ingest.js';

export function registerIngest(p: Command, ctx: CliContext): void {
  p.command('ingest')
    .description('read cp, container and audit logs (files, directories, Docker container dirs, - for stdin) into the store')
    .argument('<paths...>')
    .option(...DB_OPTION)
    .option('--final', 'files will not grow: take a last line without a newline as complete')
    .option('--max-line <bytes>', 'longest line kept whole; longer lines are kept truncated', bytesArg, DEFAULT_INGEST.maxLine)
    .option('--json', 'print the report as JSON')
    .action(async (paths: string[], o: { db?: string; final?: boolean; maxLine: number; json?: boolean }) => {
      await withStore(o.db, ctx, async (store) => {
        const r = await ingestPaths(store, paths, { final: o.final ?? false, maxLine: o.maxLine });
        process.stdout.write(o.json ? JSON.stringify(ingestReportJson(r), null, 2) + '\n' : renderIngestReport(r));
      });
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
