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
import { terminalSafe } from './cli/terminal-safe.js';

type Register = (p: Command, ctx: CliContext) => void;

/**
 * The commands, in the order help lists them, each by the names it registers
 * and its module, imported only when wanted: a run loads the module of its
 * own command alone (the modules of every command together took longer to
 * load than a small ingest runs), help and an unknown name load them all.
 */
const COMMANDS: readonly [names: readonly string[], load: () => Promise<Register>][] = [
  [['ingest', 'inventory'], async () => (await import('./cli/commands/ingest.js')).registerIngest],
  [['ticket'], async () => (await import('./cli/commands/ticket.js')).registerTicket],
  [['unparsed'], async () => (await import('./cli/commands/unparsed.js')).registerUnparsed],
  [['serve'], async () => (await import('./cli/commands/serve.js')).registerServe],
  [['operators'], async () => (await import('./cli/commands/operators.js')).registerOperators],
  [['tokens'], async () => (await import('./cli/commands/tokens.js')).registerTokens],
  [['stats'], async () => (await import('./cli/commands/stats.js')).registerStats],
  [['prune'], async () => (await import('./cli/commands/prune.js')).registerPrune],
  [['search'], async () => (await import('./cli/commands/search.js')).registerSearch],
  [['copy'], async () => (await import('./cli/commands/copy.js')).registerCopy],
];

/** The program with the command named `only`, or with every command when `only` names none of them. */
export async function program(ctx: CliContext, only?: string): Promise<Command> {
  const p = new Command('tellwang-diag')
    .description('Diagnostics and support console for the TellWang control plane')
    .showHelpAfterError()
    .exitOverride();
  const named = COMMANDS.filter(([names]) => only !== undefined && names.includes(only));
  for (const register of await Promise.all((named.length ? named : COMMANDS).map(([, load]) => load()))) register(p, ctx);
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
    // argv[2]: the command, when the first argument names one.
    await (await program(cliContext(readEnv()), argv[2])).parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    return report(e);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  const code = await main(process.argv);
  if (code !== 0) process.exitCode = code;
}
