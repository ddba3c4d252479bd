/** `tellwang-diag tokens create|list|revoke`: console tokens (`sdo_…`) for programs, the CLI and log shippers. */
import { Option, type Command } from 'commander';
import { createToken, SCOPES } from '../../access/api-tokens.js';
import type { ApiToken, TokenScope } from '../../model/access.js';
import { DB_OPTION, UsageError, withExistingStore, withStore, type CliContext } from '../context.js';
import { terminalSafe } from '../terminal-safe.js';
import { terminalJsonLine } from '../terminal-json.js';

function when(ms: number | null): string {
  return ms === null ? '—' : new Date(ms).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
}

function tokenJson(t: ApiToken) {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return { name: t.name, scope: t.scope, status: t.revokedAt === null ? 'live' : 'revoked', created_at: iso(t.createdAt), last_used_at: iso(t.lastUsedAt), revoked_at: iso(t.revokedAt) };
}

export function registerTokens(p: Command, ctx: CliContext): void {
  const tokens = p.command('tokens').description('console tokens: Authorization: Bearer sdo_… for the API and log shippers');

  tokens
    .command('create')
    .description('create a token and print it once (only its sha256 is stored)')
    .requiredOption('--name <name>', 'a name to list and revoke it by')
    .addOption(new Option('--scope <scope>', 'operator: every operator route; ingest: only pushing logs').choices(SCOPES as string[]).default('operator'))
    .option(...DB_OPTION)
    .action(async (o: { name: string; scope: TokenScope; db?: string }) => {
      await withStore(o.db, ctx, async (store) => {
        const { token, secret } = await createToken(store, o.name, o.scope, Date.now());
        process.stdout.write(`${secret}\n`);
        process.stderr.write(`token ${terminalSafe(token.name)} (scope ${token.scope}) created: copy it now, it is not shown again\n`);
      });
    });

  tokens
    .command('list')
    .description('list tokens (names, scopes, last use; never the tokens)')
    .option(...DB_OPTION)
    .option('--json', 'print as JSON')
    .action(async (o: { db?: string; json?: boolean }) => {
      await withExistingStore(o.db, ctx, async (store) => {
        const all = await store.listTokens();
        if (o.json) return void process.stdout.write(terminalJsonLine(all.map(tokenJson), 2));
        if (!all.length) return void process.stdout.write('no tokens yet: create one with `tellwang-diag tokens create --name NAME`\n');
        const w = Math.max(4, ...all.map((t) => t.name.length));
        process.stdout.write(`${'NAME'.padEnd(w)}  SCOPE     STATUS   CREATED               LAST USED\n`);
        for (const t of all) {
          const status = t.revokedAt === null ? 'live' : 'revoked';
          process.stdout.write(`${terminalSafe(t.name).padEnd(w)}  ${t.scope.padEnd(8)}  ${status.padEnd(7)}  ${when(t.createdAt).padEnd(20)}  ${when(t.lastUsedAt)}\n`);
        }
      });
    });

  tokens
    .command('revoke')
    .description('revoke the live token of that name; it stops working at once')
    .argument('<name>')
    .option(...DB_OPTION)
    .action(async (name: string, o: { db?: string }) => {
      await withExistingStore(o.db, ctx, async (store) => {
        if (!(await store.revokeToken(name, Date.now()))) throw new UsageError(`no live token named ${terminalSafe(name.slice(0, 64))}`);
        process.stdout.write(`revoked ${terminalSafe(name)}\n`);
      });
    });
}
