#!/usr/bin/env node
/**
 * tellwang-diag: wires configuration to the commands. Each command lives in
 * src/cli/commands/; no parsing or SQL here.
 */
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { Command, CommanderError } from 'commander';
import { readEnv } from './config.js';
import { exitCodeOf } from './errors/coded-error.js';
import { EX_SOFTWARE } from './errors/diag-codes.js';
import { cliContext, type CliContext } from './cli/context.js';
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
import { registerCopy } from './cli/commands/copy.js';

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
  registerCopy(p, ctx);
  return p;
}

/**
 * The exit code comes from the failure's DIAG_… code (diag-codes.ts): errors a
 * user can act on print one line; anything else is a fault (EX_SOFTWARE) and
 * prints its stack.
 */
function report(e: unknown): number {
  if (e instanceof CommanderError) return e.exitCode;
  const exit = exitCodeOf(e);
  if (exit === EX_SOFTWARE) {
    process.stderr.write(`tellwang-diag: unexpected failure: ${(e as Error)?.stack ?? String(e)}\n`);
  } else {
    process.stderr.write(`tellwang-diag: ${terminalSafe((e as Error).message)}\n`);
  }
  return exit;
}

export async function main(argv: string[]): Promise<number> {
  try {
    await program(cliContext(readEnv())).parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    return report(e);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  const code = await main(process.argv);
  if (code !== 0) process.exitCode = code;
}
