/**
 * The WHERE clauses of the store's filters, described once for both
 * backends: the same conditions in the same order over the same column
 * names, with SQLite's `?` or PostgreSQL's `$n` placeholders. A window
 * (time range, wok, org) scopes requests, audit entries, wok changes and
 * lifecycle; search() adds code, status, failed and its cursor.
 */
import type { SearchFilter, WindowFilter } from './store-types.js';

export type Dialect = 'sqlite' | 'postgres';

export class SqlWhere {
  readonly conds: string[] = [];
  readonly args: unknown[] = [];

  /** `table`: the alias columns are qualified with ('' for none). */
  constructor(
    readonly dialect: Dialect,
    private readonly table = '',
  ) {}

  /** The placeholder of the next argument, `v`. */
  arg(v: unknown): string {
    this.args.push(v);
    return this.dialect === 'sqlite' ? '?' : `$${this.args.length}`;
  }

  /** `column op v`, when `v` is given. */
  when(column: string, op: '=' | '>=' | '<=', v: string | number | null | undefined): this {
    if (v !== undefined && v !== null && v !== '') this.conds.push(`${this.col(column)} ${op} ${this.arg(v)}`);
    return this;
  }

  /** Rows after a cursor in newest-first order (time, then id, both descending). */
  olderThan(c: { time: number; id: number } | null): this {
    if (!c) return this;
    // The same order either way; SQLite plans the spelled-out form onto its (time, id) index.
    if (this.dialect === 'sqlite') return this.add(`(time < ${this.arg(c.time)} OR (time = ${this.arg(c.time)} AND id < ${this.arg(c.id)}))`);
    return this.add(`(time, id) < (${this.arg(c.time)}, ${this.arg(c.id)})`);
  }

  /** A condition without arguments, or with those already taken by arg(). */
  add(cond: string): this {
    this.conds.push(cond);
    return this;
  }

  col(column: string): string {
    return this.table ? `${this.table}.${column}` : column;
  }

  /** The conditions joined with AND (TRUE when there are none). */
  get sql(): string {
    return this.conds.length ? this.conds.join(' AND ') : 'TRUE';
  }

  /** `WHERE …`, or nothing when there are no conditions. */
  get clause(): string {
    return this.conds.length ? `WHERE ${this.conds.join(' AND ')}` : '';
  }
}

/** Time in [from, to], and the wok and org when given. */
export function windowWhere(dialect: Dialect, f: Pick<WindowFilter, 'from' | 'to' | 'wok' | 'org'>, table = ''): SqlWhere {
  return new SqlWhere(dialect, table).when('time', '>=', f.from).when('time', '<=', f.to).when('wok', '=', f.wok).when('org', '=', f.org);
}

/** search()'s filter over request rows, then the position after a cursor (newest first by time, then id). */
export function searchWhere(dialect: Dialect, f: SearchFilter, after: { time: number; id: number } | null): SqlWhere {
  const w = new SqlWhere(dialect).when('time', '>=', f.from).when('time', '<=', f.to).when('code', '=', f.code).when('org', '=', f.org).when('wok', '=', f.wok).when('status', '=', f.status);
  if (f.failed) w.add('status >= 400');
  return w.olderThan(after);
}
