/**
 * `npm start`: a fresh demo, ingested and served. Regenerates ./data/demo
 * anchored to now, ingests it into a new ./data/demo.sqlite with the same
 * code as `tellwang-diag ingest`, imports the inventory, replays the health
 * history of the demo's hours from its logs (so tickets show "Platform health
 * at the time" and /diag its recent past), then serves on
 * 127.0.0.1:8080 ($DIAG_PORT / $DIAG_HOST, or --port / --host) and prints the
 * tickets worth opening and a demo operator's sign-in.
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { addOperator } from '../src/access/operators.js';
import { renderIngestReport } from '../src/cli/report-ingest.js';
import { serve } from '../src/cli/commands/serve.js';
import { configuredRedactor, portArg } from '../src/cli/context.js';
import { readEnv } from '../src/config.js';
import { ingestPaths } from '../src/ingest/ingest-paths.js';
import { readInventoryFile } from '../src/ingest/inventory-file.js';
import { catalog } from '../src/catalog/catalog.js';
import { replayHistory } from '../src/diag/replay.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { storeInventory } from '../src/store/store-inventory.js';
import { generateDemo, type DemoSummary } from './demo/generate-demo.js';

const DEMO_DIR = path.resolve('data/demo');
const DEMO_DB = path.resolve('data/demo.sqlite');
const DEMO_OPERATOR = 'demo@tellwang.local';
/** The demo's logs end now and reach back a few hours: history is replayed over this span. */
const HISTORY_MS = 5 * 3_600_000;

async function main(): Promise<void> {
  const opts = new Command('start-demo')
    .option('--port <port>', 'port (default $DIAG_PORT or 8080)', portArg)
    .option('--host <host>', 'address to bind (default $DIAG_HOST or 127.0.0.1)')
    .parse()
    .opts<{ port?: number; host?: string }>();
  const env = readEnv();
  const redactor = configuredRedactor(env);

  // Ticket pages are for operators: the demo store gets one, with a fresh password each run.
  const password = randomBytes(12).toString('base64url');
  const now = Date.now();
  const summary = await generateDemo({ dir: DEMO_DIR, now });
  process.stdout.write(`demo: ${summary.requests} requests, ${summary.auditEntries} audit entries, ${summary.containerLines} container lines from ${summary.containers} containers → ${path.relative('.', DEMO_DIR)}/\n`);

  // From scratch: an old store would keep the previous run's hours beside the new ones.
  for (const suffix of ['', '-wal', '-shm']) rmSync(DEMO_DB + suffix, { force: true });
  const store = new SqliteStore(DEMO_DB, { redactor });
  try {
    const report = await ingestPaths(store, summary.logPaths, { final: true });
    process.stdout.write(renderIngestReport(report));
    const inv = await store.putInventory(readInventoryFile(summary.inventoryPath));
    process.stdout.write(`imported ${inv.orgs} orgs, ${inv.woks} woks, ${inv.keys} keys\n`);
    // The server was not running while these logs were written: rebuild what its health loop would have stored.
    const checks = await replayHistory({ store, inventory: storeInventory(store), catalog, from: now - HISTORY_MS, to: now });
    process.stdout.write(`replayed health history: ${checks} check results over the last ${HISTORY_MS / 3_600_000} h\n`);
    await addOperator(store, DEMO_OPERATOR, password);
  } finally {
    await store.close();
  }

  const port = opts.port ?? env.DIAG_PORT ?? 8080;
  const host = opts.host ?? env.DIAG_HOST ?? '127.0.0.1';
  try {
    await serve({ db: DEMO_DB, port, host, env, redactor, banner: (url) => banner(url, summary, password) });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      process.stderr.write(`start-demo: ${host}:${port} is in use; pass --port or set DIAG_PORT\n`);
      process.exit(1);
    }
    throw e;
  }
}

function banner(url: string, s: DemoSummary, password: string): string {
  const lines = ['', `Sign in at ${url}/login as ${DEMO_OPERATOR} with password ${password}`, '', 'Tickets worth opening:'];
  for (const f of s.featured) lines.push(`  ${url}/tickets/${f.cid}`, `      ${f.description}`);
  lines.push('', `Paste any correlation id (or a whole error envelope) at ${url}/`, '');
  // Customers' keys are of several lengths (32 to 128 hex): each is accepted on the customer API.
  lines.push(`Customer keys (curl -H 'Authorization: Bearer KEY' ${url}/v1/diag/wok/ledger, or /v1/tickets/CID):`);
  for (const k of s.customerKeys) lines.push(`  ${k.org.padEnd(10)} ${k.user.padEnd(22)} ${String(k.key.length - k.key.indexOf('_') - 1).padStart(3)} hex  ${k.key}`);
  lines.push('');
  return lines.join('\n') + '\n';
}

await main();
