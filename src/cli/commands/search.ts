/**
 * `tellwang-diag search [--code C] [--org O] [--wok W] [--status N] [--failed]
 * [--fix-side S] [--source S] [--method M] [--user U] [--path P] [--q TEXT] [--from T]
 * [--to T] [--limit N] [--cursor C] [--json]`: GET /v1/search in a terminal,
 * one request a line, newest first, with the count of matches. The options are
 * checked as the route checks its parameters; a missing store is refused.
 */
import type { Command } from 'commander';
import { hasCode } from '../../errors/coded-error.js';
import { iso } from '../../http/present/event-view.js';
import { readQuery } from '../../http/query.js';
import { requestFilter, searchItem, searchQuery } from '../../http/search-query.js';
import type { RequestSummary } from '../../model/request.js';
import type { RequestPage } from '../../store/search-filter.js';
import { DB_OPTION, UsageError, withExistingStore, type CliContext } from '../context.js';
import { terminalSafe } from '../terminal-safe.js';
import { terminalJsonLine } from '../terminal-json.js';

interface Options {
  db?: string;
  json?: boolean;
  failed?: boolean;
  [name: string]: string | boolean | undefined;
}

/** Option name → the route's parameter name. */
const PARAMS: [string, string][] = [
  ['code', 'code'], ['org', 'org'], ['wok', 'wok'], ['status', 'status'], ['fixSide', 'fix_side'], ['source', 'source'],
  ['method', 'method'], ['user', 'user'], ['path', 'path'], ['q', 'q'], ['from', 'from'], ['to', 'to'], ['limit', 'limit'], ['cursor', 'cursor'],
];

function row(r: RequestSummary): string {
  const cells = [iso(r.time), String(r.status), r.code ?? '-', `${r.method || '-'} ${r.path || '-'}`, `org=${r.org ?? '-'}`, `user=${r.user ?? '-'}`, `wok=${r.wok ?? '-'}`, r.cid];
  return terminalSafe(cells.join('  '));
}

export function renderSearch(page: RequestPage): string {
  const count = `${page.count.value.toLocaleString('en-US')}${page.count.exact ? '' : '+'}`;
  const out = [`${count} matching request${page.count.value === 1 && page.count.exact ? '' : 's'}`, ...page.items.map(row)];
  if (page.next) out.push(`older: tellwang-diag search … --cursor ${page.next}`);
  return out.join('\n') + '\n';
}

export function registerSearch(p: Command, ctx: CliContext): void {
  p.command('search')
    .description('requests by code, org, wok, status, fix side, source, method, path prefix, free text and time, newest first (as GET /v1/search)')
    .option(...DB_OPTION)
    .option('--code <code>', 'an error code (CP_…)')
    .option('--org <org>', 'an org')
    .option('--wok <wok>', 'a wok')
    .option('--status <n>', 'an HTTP status')
    .option('--failed', 'only failed requests (status ≥ 400)')
    .option('--fix-side <side>', 'caller, state or platform (from the catalogue)')
    .option('--source <source>', 'requests with events of cp, container or audit')
    .option('--method <method>', 'an HTTP method')
    .option('--user <user>', 'a user (as logged, or named by the inventory from the key)')
    .option('--path <prefix>', 'a path prefix (/v1/woks/…)')
    .option('--q <text>', 'text in a message of the request, any case, taken literally')
    .option('--from <time>', 'epoch ms, ISO 8601, or 15m / 2h / 7d ago')
    .option('--to <time>', 'as --from')
    .option('--limit <n>', 'how many (1–500, default 50)')
    .option('--cursor <cursor>', 'continue after an earlier page')
    .option('--json', 'print as JSON (the shape of GET /v1/search)')
    .action(async (o: Options) => {
      const raw: Record<string, string> = {};
      for (const [opt, param] of PARAMS) if (typeof o[opt] === 'string') raw[param] = o[opt];
      if (o.failed) raw.failed = '1';
      let q;
      try {
        q = readQuery(searchQuery(Date.now()), raw);
      } catch (e) {
        throw hasCode(e, 'DIAG_INVALID_QUERY') ? new UsageError(terminalSafe(e.message.replace(/^(fix_side|[a-z]+)\b/, (n) => `--${n.replace('_', '-')}`))) : e;
      }
      await withExistingStore(o.db, ctx, async (store) => {
        const page = await store.findRequests(requestFilter(q), q.cursor).catch((e: unknown) => {
          throw hasCode(e, 'DIAG_INVALID_CURSOR') ? new UsageError(`--cursor: ${e.message}`) : e;
        });
        process.stdout.write(
          o.json
            ? terminalJsonLine({ items: page.items.map(searchItem), next: page.next, count: page.count.value, count_exact: page.count.exact }, 2)
            : renderSearch(page),
        );
      });
    });
}
