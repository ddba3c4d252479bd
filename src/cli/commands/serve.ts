import type { Command } from 'commander';
import { catalog } from '../../catalog/catalog.js';
import { systemClock } from '../../clock.js';
import { dbPath, trustProxy, type Env } from '../../config.js';
import { createApp } from '../../http/create-app.js';
import { listen } from '../../http/serve.js';
import { createLogger } from '../../logging/logger.js';
import { DEFAULT_TICKET_OPTIONS } from '../../queries/ticket.js';
import { SqliteStore } from '../../store/sqlite/sqlite-store.js';
import { storeInventory } from '../../store/store-inventory.js';
import { DB_OPTION, portArg, type CliContext } from '../context.js';

export interface ServeOptions {
  db: string;
  port: number;
  host: string;
  env: Env;
  /** Printed after the URL once listening. */
  banner?: (url: string) => string;
}

export function registerServe(p: Command, ctx: CliContext): void {
  p.command('serve')
    .description('serve the console over HTTP')
    .option(...DB_OPTION)
    .option('--port <port>', 'port (default $DIAG_PORT or 8080)', portArg)
    .option('--host <host>', 'address to bind (default $DIAG_HOST or 127.0.0.1)')
    .action(async (o: { db?: string; port?: number; host?: string }) => {
      await serve({ db: dbPath(o.db, ctx.env), port: o.port ?? ctx.env.DIAG_PORT ?? 8080, host: o.host ?? ctx.env.DIAG_HOST ?? '127.0.0.1', env: ctx.env });
    });
}

export async function serve(o: ServeOptions): Promise<void> {
  const logger = createLogger({ level: o.env.DIAG_LOG_LEVEL ?? 'info', pretty: o.env.NODE_ENV === 'development' });
  const store = new SqliteStore(o.db);
  const app = createApp({
    store,
    inventory: storeInventory(store),
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
