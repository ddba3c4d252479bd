/** What every command gets: the environment, read once, the redactor built from it, and the shared option helpers. */
import { InvalidArgumentError } from 'commander';
import { ConfigError, dbPath, redactPatterns, type Env } from '../config.js';
import { createRedactor, type Redactor } from '../redact/redactor.js';
import type { Store } from '../store/store.js';
import { requireExistingStore } from './existing-store.js';
import { CodedError } from '../errors/coded-error.js';
import type { DiagCode } from '../errors/diag-codes.js';

export interface CliContext {
  env: Env;
  /** Built once from DIAG_REDACT_PATTERNS: every store, thread and server of the run redacts with it. */
  redactor: Redactor;
}

/** The redactor DIAG_REDACT_PATTERNS configures; a pattern that cannot be used is a ConfigError naming it. */
export function configuredRedactor(env: Env): Redactor {
  try {
    return createRedactor({ patterns: redactPatterns(env) });
  } catch (e) {
    throw new ConfigError(`DIAG_REDACT_PATTERNS: ${(e as Error).message}`);
  }
}

/** The context of one run, from the environment read once. */
export function cliContext(env: Env): CliContext {
  return { env, redactor: configuredRedactor(env) };
}

/** A mistake in how the command was called: exit code 2, one line. */
export class UsageError extends CodedError {
  override name = 'UsageError';
  readonly code = 'DIAG_USAGE' satisfies DiagCode;
}

export const DB_OPTION = ['--db <store>', 'a SQLite file or a postgres:// URL (?schema=name; default $DIAG_DB or ./data/diag.sqlite)'] as const;

/** The store the command names (--db, else $DIAG_DB, else the default file): SQLite for a path, PostgreSQL for a URL. */
export async function openStore(flag: string | undefined, ctx: CliContext): Promise<Store> {
  // Imported here: a command that hands the store to a thread of its own (ingest) never loads it on this one.
  const { openStore: openStoreAt } = await import('../store/open-store.js');
  return openStoreAt(dbPath(flag, ctx.env), { redactor: ctx.redactor });
}

/** Runs `fn` with a store that is closed afterwards, whatever happens. */
export async function withStore<T>(flag: string | undefined, ctx: CliContext, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(flag, ctx);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/** Like withStore, for a command that only reads or changes what is there: a store that does not exist is refused. */
export async function withExistingStore<T>(flag: string | undefined, ctx: CliContext, fn: (store: Store) => Promise<T>): Promise<T> {
  await requireExistingStore(dbPath(flag, ctx.env));
  return withStore(flag, ctx, fn);
}

export function portArg(v: string): number {
  const n = Number(v);
  if (!/^\d{1,5}$/.test(v) || n > 65535) throw new InvalidArgumentError('a port is a number from 0 to 65535');
  return n;
}

export function intArg(v: string, min: number, max: number): number {
  const n = Number(v);
  if (!/^\d{1,9}$/.test(v) || n < min || n > max) throw new InvalidArgumentError(`a whole number from ${min} to ${max}`);
  return n;
}

export function bytesArg(v: string): number {
  const m = /^(\d+)(k|m|kib|mib)?$/i.exec(v);
  if (!m) throw new InvalidArgumentError('a size like 1048576, 512k or 1m');
  const unit = (m[2] ?? '').toLowerCase();
  return Number(m[1]) * (unit.startsWith('m') ? 1048576 : unit.startsWith('k') ? 1024 : 1);
}
