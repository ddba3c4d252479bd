/** `tellwang-diag operators add|list|disable|enable|password`: the people who may sign in to the console. */
import type { Command } from 'commander';
import { addOperator, setDisabled, setPassword } from '../../access/operators.js';
import type { Operator } from '../../model/access.js';
import { DB_OPTION, UsageError, withExistingStore, withStore, type CliContext } from '../context.js';
import { terminalSafe } from '../terminal-safe.js';
import { dbPath } from '../../config.js';
import { requireExistingStore } from '../existing-store.js';
import { terminalJsonLine } from '../terminal-json.js';

/* Reading a password: the first line of stdin when it is piped (`printf '%s\n' "$PW" | tellwang-diag operators add …`), otherwise typed at the terminal without echo, twice. */

async function firstLineOfStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of process.stdin) {
    const b = c as Buffer;
    chunks.push(b);
    size += b.length;
    if (size > 64 * 1024 || b.includes(10)) break;
  }
  const text = Buffer.concat(chunks).toString('utf8');
  const nl = text.indexOf('\n');
  return (nl === -1 ? text : text.slice(0, nl)).replace(/\r$/, '');
}

/** One line typed without echo; Ctrl-C aborts, Backspace deletes. */
function promptHidden(question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    process.stderr.write(question);
    let typed = '';
    const done = (err: Error | null) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(typed);
    };
    const onData = (buf: Buffer) => {
      for (const ch of buf.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return done(null);
        if (ch === '\u0003' || ch === '\u0004') return done(new UsageError('aborted'));
        if (ch === '\u007f' || ch === '\b') typed = typed.slice(0, -1);
        else if (ch >= ' ') typed += ch;
      }
    };
    stdin.setRawMode(true);
    stdin.resume();
    stdin.on('data', onData);
  });
}

export async function readNewPassword(): Promise<string> {
  if (!process.stdin.isTTY) return firstLineOfStdin();
  const first = await promptHidden('Password: ');
  const again = await promptHidden('Password again: ');
  if (first !== again) throw new UsageError('the two passwords differ');
  return first;
}

function day(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
}

function operatorJson(o: Operator) {
  return { email: o.email, status: o.disabledAt === null ? 'active' : 'disabled', created_at: new Date(o.createdAt).toISOString(), disabled_at: o.disabledAt === null ? null : new Date(o.disabledAt).toISOString() };
}

export function registerOperators(p: Command, ctx: CliContext): void {
  const ops = p.command('operators').description('operator accounts (people who sign in at /login)');

  ops.command('add')
    .description('add an operator; the password is read from stdin when piped, else prompted without echo')
    .argument('<email>')
    .option(...DB_OPTION)
    .action(async (email: string, o: { db?: string }) => {
      const password = await readNewPassword();
      await withStore(o.db, ctx, async (store) => {
        const op = await addOperator(store, email, password);
        process.stdout.write(`added operator ${terminalSafe(op.email)}\n`);
      });
    });

  ops.command('list')
    .description('list operators')
    .option(...DB_OPTION)
    .option('--json', 'print as JSON')
    .action(async (o: { db?: string; json?: boolean }) => {
      await withExistingStore(o.db, ctx, async (store) => {
        const all = await store.listOperators();
        if (o.json) return void process.stdout.write(terminalJsonLine(all.map(operatorJson), 2));
        if (!all.length) return void process.stdout.write('no operators yet: add one with `tellwang-diag operators add EMAIL`\n');
        const w = Math.max(5, ...all.map((x) => x.email.length));
        process.stdout.write(`${'EMAIL'.padEnd(w)}  STATUS    CREATED\n`);
        for (const x of all) {
          const status = x.disabledAt === null ? 'active' : 'disabled';
          process.stdout.write(`${terminalSafe(x.email).padEnd(w)}  ${status.padEnd(8)}  ${day(x.createdAt)}\n`);
        }
      });
    });

  ops.command('disable')
    .description('disable an operator (ends their sessions at once)')
    .argument('<email>')
    .option(...DB_OPTION)
    .action(async (email: string, o: { db?: string }) => {
      await withExistingStore(o.db, ctx, (store) => setDisabled(store, email, true));
      process.stdout.write(`disabled ${terminalSafe(email.trim())}; their sessions are ended\n`);
    });

  ops.command('enable')
    .description('enable a disabled operator again')
    .argument('<email>')
    .option(...DB_OPTION)
    .action(async (email: string, o: { db?: string }) => {
      await withExistingStore(o.db, ctx, (store) => setDisabled(store, email, false));
      process.stdout.write(`enabled ${terminalSafe(email.trim())}\n`);
    });

  ops.command('password')
    .description("set an operator's password (ends their sessions); read like `add` does")
    .argument('<email>')
    .option(...DB_OPTION)
    .action(async (email: string, o: { db?: string }) => {
      // Refused before the prompt: no one types a new password twice for a store that is not there.
      await requireExistingStore(dbPath(o.db, ctx.env));
      const password = await readNewPassword();
      await withExistingStore(o.db, ctx, (store) => setPassword(store, email, password));
      process.stdout.write(`password of ${terminalSafe(email.trim())} changed; their sessions are ended\n`);
    });
}
