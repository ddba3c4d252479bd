#!/usr/bin/env node
/**
 * tellwang-diag: wires configuration to the ingest pipeline, the store, the
 * queries and the HTTP app. No parsing or SQL here.
 */
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { catalog } from './catalog/catalog.js';
import { systemClock } from './clock.js';
import { ConfigError, dbPath, readEnv, redactPatterns, trustProxy, type Env } from './config.js';
import { createApp } from './http/create-app.js';
import { listen } from './http/serve.js';
import { ingestPaths } from './ingest/ingest-paths.js';
import { InputError } from './ingest/readers/discover.js';
import { DEFAULT_INGEST } from './ingest/stream-ingester.js';
import { InventoryFileError, readInventoryFile } from './ingest/inventory-file.js';
import { createLogger } from './logging/logger.js';
import { canonicalCid } from './model/event.js';
import { buildTicket, DEFAULT_TICKET_OPTIONS } from './queries/ticket.js';
import { compileExtraPatterns } from './redact/secret-patterns.js';
import { setExtraPatterns } from './redact/redact.js';
import { SqliteStore } from './store/sqlite/sqlite-store.js';
import { StoreError } from './store/store.js';
import { ticketJson } from './http/present/ticket-json.js';
import { renderIngestReport, ingestReportJson } from './cli/report-ingest.js';
import { renderTicketText } from './cli/render-ticket.js';
import { terminalSafe } from './cli/terminal-safe.js';

class UsageError extends Error {}

function port(v: string): number {
  const n = Number(v);
  if (!/^\d{1,5}$/.test(v) || n > 65535) throw new InvalidArgumentError('a port is a number from 0 to 65535');
  return n;
}

function bytes(v: string): number {
  const m = /^(\d+)(k|m|kib|mib)?$/i.exec(v);
  if (!m) throw new InvalidArgumentError('a size like 1048576, 512k or 1m');
  const unit = (m[2] ?? '').toLowerCase();
  return Number(m[1]) * (unit.startsWith('m') ? 1048576 : unit.startsWith('k') ? 1024 : 1);
}

function openStore(flag: string | undefined, env: Env): SqliteStore {
  return new SqliteStore(dbPath(flag, env));
}

export function program(env: Env): Command {
  const p = new Command('tellwang-diag')
    .description('Diagnostics and support console for the TellWang control plane')
    .showHelpAfterError()
    .exitOverride();
  const dbOpt = ['--db <file>', `store file (default $DIAG_DB or ./data/diag.sqlite)`] as const;

  p.command('ingest')
    .description('read cp, container and audit logs (files, directories, Docker container dirs, - for stdin) into the store')
    .argument('<paths...>')
    .option(...dbOpt)
    .option('--final', 'files will not grow: take a last line without a newline as complete')
    .option('--max-line <bytes>', 'longest line kept whole; longer lines are kept truncated', bytes, DEFAULT_INGEST.maxLine)
    .option('--json', 'print the report as JSON')
    .action(async (paths: string[], o: { db?: string; final?: boolean; maxLine: number; json?: boolean }) => {
      const store = openStore(o.db, env);
      try {
        const r = await ingestPaths(store, paths, { final: o.final ?? false, maxLine: o.maxLine });
        process.stdout.write(o.json ? JSON.stringify(ingestReportJson(r), null, 2) + '\n' : renderIngestReport(r));
      } finally {
        await store.close();
      }
    });

  p.command('inventory')
    .description('import a JSON snapshot of the cp\'s orgs, woks and API keys (replaces the previous one)')
    .argument('<file>')
    .option(...dbOpt)
    .action(async (file: string, o: { db?: string }) => {
      const inv = readInventoryFile(file);
      const store = openStore(o.db, env);
      try {
        const n = await store.putInventory(inv);
        process.stdout.write(`imported ${n.orgs} orgs, ${n.woks} woks, ${n.keys} keys\n`);
      } finally {
        await store.close();
      }
    });

  p.command('ticket')
    .description('everything logged for one correlation id, with the catalogued remediation')
    .argument('<cid>')
    .option(...dbOpt)
    .option('--json', 'print the ticket as JSON (the same as GET /v1/tickets/:cid)')
    .option('--stacks', 'include stack traces')
    .action(async (raw: string, o: { db?: string; json?: boolean; stacks?: boolean }) => {
      const cid = canonicalCid(raw);
      if (!cid) throw new UsageError(`${JSON.stringify(terminalSafe(raw.slice(0, 40)))} is not a correlation id (16 hexadecimal characters)`);
      const store = openStore(o.db, env);
      try {
        const t = await buildTicket(store, catalog, cid);
        if (!t) {
          process.stderr.write(`nothing has been logged with correlation id ${cid}\n`);
          process.exitCode = 1;
          return;
        }
        process.stdout.write(
          o.json
            ? JSON.stringify(ticketJson(t, { stack: o.stacks ?? false, raw: false }), null, 2) + '\n'
            : renderTicketText(t, { color: process.stdout.isTTY === true && !process.env.NO_COLOR, stacks: o.stacks ?? false }),
        );
      } finally {
        await store.close();
      }
    });

  p.command('serve')
    .description('serve the console over HTTP')
    .option(...dbOpt)
    .option('--port <port>', 'port (default $DIAG_PORT or 8080)', port)
    .option('--host <host>', 'address to bind (default $DIAG_HOST or 127.0.0.1)')
    .action(async (o: { db?: string; port?: number; host?: string }) => {
      await serve({ db: dbPath(o.db, env), port: o.port ?? env.DIAG_PORT ?? 8080, host: o.host ?? env.DIAG_HOST ?? '127.0.0.1', env });
    });

  return p;
}

export interface ServeOptions {
  db: string;
  port: number;
  host: string;
  env: Env;
  /** Printed after the URL once listening. */
  banner?: (url: string) => string;
}

export async function serve(o: ServeOptions): Promise<void> {
  const logger = createLogger({ level: o.env.DIAG_LOG_LEVEL ?? 'info', pretty: o.env.NODE_ENV === 'development' });
  const store = new SqliteStore(o.db);
  const app = createApp({
    store,
    catalog,
    logger,
    clock: systemClock,
    config: { ticket: DEFAULT_TICKET_OPTIONS, trustProxy: trustProxy(o.env), bodyLimit: '1mb' },
  });
  const s = await listen(app, o.port, o.host);
  process.stdout.write(`tellwang-diag serving ${s.url} (store ${o.db})\n${o.banner ? o.banner(s.url) : ''}`);
  const stop = async (signal: string) => {
    logger.info({ signal }, 'shutting down');
    await s.close();
    await store.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

/** Errors a user can act on print one line; anything else is a fault and prints its stack. */
function report(e: unknown): number {
  if (e instanceof CommanderError) return e.exitCode;
  if (e instanceof UsageError) {
    process.stderr.write(`tellwang-diag: ${e.message}\n`);
    return 2;
  }
  if (e instanceof InputError || e instanceof InventoryFileError || e instanceof ConfigError || e instanceof StoreError) {
    process.stderr.write(`tellwang-diag: ${terminalSafe(e.message)}\n`);
    return 1;
  }
  process.stderr.write(`tellwang-diag: unexpected failure: ${(e as Error)?.stack ?? String(e)}\n`);
  return 70;
}

export async function main(argv: string[]): Promise<number> {
  try {
    const env = readEnv();
    setExtraPatterns(compileExtraPatterns(redactPatterns(env)));
    await program(env).parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    return report(e);
  }
}

const invokedDirectly = process.argv[1] && import.meta.url === new URL(`file://${(await import('node:fs')).realpathSync(process.argv[1])}`).href;
if (invokedDirectly) {
  const code = await main(process.argv);
  if (code !== 0) process.exitCode = code;
}
