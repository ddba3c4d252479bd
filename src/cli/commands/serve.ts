/**
 * `tellwang-diag serve`: the console over HTTP, with the health loop and (with
 * --follow / --retain) the follower on a worker thread.
 *
 * Every CLI run loads this module to register the command, so the server
 * stack (express, helmet, ejs, prom-client, pino, the checks) is imported
 * only when `serve()` runs: other commands start in about half the time,
 * which counts when they are run many times over (scripts, the tests).
 */
import type { Command } from 'commander';
import { catalog } from '../../catalog/catalog.js';
import { systemClock } from '../../clock.js';
import { dbPath, diagSettings, leaseTiming, pgLogLinePrefix, trustProxy, type Env } from '../../config.js';
import { leaseHolderId } from '../../ingest/follow/lease-keeper.js';
import { DEFAULT_TICKET_OPTIONS } from '../../queries/ticket.js';
import type { Redactor } from '../../redact/redactor.js';
import { openStore, storeLabel } from '../../store/open-store.js';
import { storeInventory } from '../../store/store-inventory.js';
import { DB_OPTION, portArg, type CliContext } from '../context.js';
import { checkFollowPaths } from '../../ingest/follow/follow-targets.js';
import { durationArg } from './prune.js';
import type { FollowWorkerHandle } from '../../ingest/follow/start-follow-worker.js';

export interface ServeOptions {
  /** A SQLite file or a postgres:// URL (open-store.ts). */
  db: string;
  port: number;
  host: string;
  env: Env;
  /** Built once from the configuration (context.ts): the store, the push and follow threads and the app redact with it. */
  redactor: Redactor;
  /** Printed after the URL once listening. */
  banner?: (url: string) => string;
  /** Files and directories to follow (on a worker thread with its own store connection). */
  follow?: string[];
  /** Delete events older than this (ms), in batches on the same worker. */
  retainMs?: number;
}

export function registerServe(p: Command, ctx: CliContext): void {
  p.command('serve')
    .description('serve the console over HTTP')
    .option(...DB_OPTION)
    .option('--port <port>', 'port (default $DIAG_PORT or 8080)', portArg)
    .option('--host <host>', 'address to bind (default $DIAG_HOST or 127.0.0.1)')
    .option('--follow <paths...>', 'also follow these log files and directories (off the request path, on a worker thread)')
    .option('--retain <duration>', 'delete events older than this (e.g. 14d), in batches off the request path', durationArg)
    .action(async (o: { db?: string; port?: number; host?: string; follow?: string[]; retain?: number }) => {
      await serve({
        db: dbPath(o.db, ctx.env),
        port: o.port ?? ctx.env.DIAG_PORT ?? 8080,
        host: o.host ?? ctx.env.DIAG_HOST ?? '127.0.0.1',
        env: ctx.env,
        redactor: ctx.redactor,
        follow: o.follow,
        retainMs: o.retain,
      });
    });
}

export async function serve(o: ServeOptions): Promise<void> {
  const [{ CpDatabase }, { CpInventory }, { createDiagServices }, { startHealthLoop }, { createApp }, { listen }, { createLogger }, { startFollowWorker }, { startPushWorker }] = await Promise.all([
    import('../../cpdb/cp-database.js'),
    import('../../cpdb/cp-inventory.js'),
    import('../../diag/diag-services.js'),
    import('../../diag/health-loop.js'),
    import('../../http/create-app.js'),
    import('../../http/serve.js'),
    import('../../logging/logger.js'),
    import('../../ingest/follow/start-follow-worker.js'),
    import('../../ingest/push/start-push-worker.js'),
  ]);
  const logger = createLogger({ level: o.env.DIAG_LOG_LEVEL ?? 'info', pretty: o.env.NODE_ENV === 'development' });
  const roots = o.follow?.length ? checkFollowPaths(o.follow) : [];
  const store = await openStore(o.db, { redactor: o.redactor });
  // The cp database, when configured, is the live inventory and feeds the checks; else the imported snapshot.
  const ds = diagSettings(o.env);
  const cp = ds.cp
    ? new CpDatabase({ url: ds.cp.url, schema: ds.cp.schema, connectTimeoutMs: ds.config.timeoutMs, statementTimeoutMs: ds.config.timeoutMs, max: 4 })
    : null;
  const inventory = cp ? new CpInventory(cp) : storeInventory(store);
  // The follow thread starts once the server listens; the `ingest` check reads its state from then on.
  let follower: FollowWorkerHandle | null = null;
  const diag = createDiagServices({ store, inventory, catalog, clock: systemClock, config: ds.config, cp, ingest: () => follower?.status() ?? null });
  let stopping = false;
  // A thread that keeps stopping (thread-supervisor.ts) takes the server down, non-zero: it never answers on without it.
  const giveUp = (reason: string) => void stop('thread failure', 1, reason);
  // Pushed batches are parsed and written on a thread of their own, never on the one answering HTTP.
  const pusher = await startPushWorker({ db: o.db, pgLogLinePrefix: pgLogLinePrefix(o.env) }, o.redactor, logger, giveUp);
  const app = createApp({
    store,
    redactor: o.redactor,
    inventory,
    catalog,
    logger,
    clock: systemClock,
    config: {
      ticket: DEFAULT_TICKET_OPTIONS,
      trustProxy: trustProxy(o.env),
      bodyLimit: '1mb',
      ...(o.env.DIAG_INGEST_MAX_BYTES !== undefined ? { ingestMaxBytes: o.env.DIAG_INGEST_MAX_BYTES } : {}),
    },
    diag,
    push: pusher.ingest,
  });
  // Off the request path: run every check periodically and keep the history (bounded retention).
  const healthLoop = startHealthLoop({ runner: diag.runner, store, logger, intervalMs: ds.config.intervalMs, retentionMs: ds.config.retentionMs });
  const s = await listen(app, o.port, o.host);
  // Streams are read under leases, so consoles following the same paths into one store split them.
  const leases = roots.length ? { leases: { holder: leaseHolderId(), ...leaseTiming(o.env) } } : {};
  follower = roots.length || o.retainMs ? startFollowWorker({ db: o.db, roots, retainMs: o.retainMs ?? null, follow: { pgLogLinePrefix: pgLogLinePrefix(o.env) }, ...leases }, o.redactor, logger, giveUp) : null;
  const stop = async (signal: string, code = 0, reason?: string) => {
    if (stopping) return;
    stopping = true;
    if (code) logger.fatal({ reason }, `shutting down: ${reason}`);
    else logger.info({ signal }, 'shutting down');
    await s.close();
    await pusher.stop();
    await follower?.stop();
    await healthLoop.stop();
    await cp?.close();
    await store.close();
    process.exit(code);
  };
  // Before the banner: whoever reads it (a supervisor, a test) may signal at once, and the store must be closed then too.
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
  // The label, not the target: a postgres:// URL may carry a password.
  process.stdout.write(`tellwang-diag serving ${s.url} (store ${storeLabel(o.db)})\n${o.banner ? o.banner(s.url) : ''}`);
  // A signal may close the store while this reads it: then there is nothing to advise.
  const operators = await store.listOperators().catch((e: unknown) => {
    if (stopping) return null;
    throw e;
  });
  if (operators && !operators.some((op) => op.disabledAt === null)) {
    process.stderr.write('no operator can sign in yet: add one with `tellwang-diag operators add EMAIL` (customers use their skl_ key with the API)\n');
  }
}
