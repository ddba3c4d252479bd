#!/usr/bin/env node
/**
 * tellwang-diag: wires configuration to the commands. Each command lives in
 * src/cli/commands/; no parsing or SQL here.
 */
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { Command, CommanderError } from 'commander';
import { ConfigError, readEnv, redactPatterns } from './config.js';
import { InputError } from './ingest/readers/discover.js';
import { InventoryFileError } from './ingest/inventory-file.js';
import { compileExtraPatterns } from './redact/secret-patterns.js';
import { setExtraPatterns } from './redact/redact.js';
import { StoreError } from './store/store.js';
import { UsageError, type CliContext } from './cli/context.js';
import { registerIngest } from './cli/commands/ingest.js';
import { registerServe } from './cli/commands/serve.js';
import { registerTicket } from './cli/commands/ticket.js';
import { registerUnparsed } from './cli/commands/unparsed.js';
import { registerOperators } from './cli/commands/operators.js';
import { registerTokens } from './cli/commands/tokens.js';
import { registerStats } from './cli/commands/stats.js';
import { registerPrune } from './cli/commands/prune.js';
import { terminalSafe } from './cli/terminal-safe.js';
import { registerSearch } from './cli/commands/search.js';

export function program(ctx: CliContext): Command {
  const p = new Command('tellwang-diag')
    .description('Diagnostics and support console for the TellWang control plane')
    .showHelpAfterError()
    .exitOverride();
  registerIngest(p, ctx);
  registerTicket(p, ctx);
  registerUnparsed(p, ctx);
  registerServe(p, ctx);
  registerOperators(p, ctx);
  registerTokens(p, ctx);
  registerStats(p, ctx);
  registerPrune(p, ctx);
  registerSearch(p, ctx);
  return p;
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
    try {
      setExtraPatterns(compileExtraPatterns(redactPatterns(env)));
    } catch (e) {
      throw new ConfigError(`DIAG_REDACT_PATTERNS: ${(e as Error).message}`);
    }
    await program({ env }).parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    return report(e);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  const code = await main(process.argv);
  if (code !== 0) process.exitCode = code;
}
