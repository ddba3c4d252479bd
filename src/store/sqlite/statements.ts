/**
 * The prepared statements of one connection, each prepared on first use and
 * then kept. Preparing (parsing and planning the SQL) costs more than running
 * the short indexed reads of a ticket or a /diag check — profiling an uncached
 * /v1/diag showed most of its time in db.prepare — so no read prepares twice.
 *
 * Only for SQL from a bounded set of texts (fixed strings, or the few
 * combinations of optional filters a query builds): text with inlined values,
 * such as id lists, must be prepared directly, or the cache would grow without
 * bound. A statement is reused, never shared by two callers at once: every
 * read here runs to completion (or is closed) before the method returns.
 */
import type Database from 'better-sqlite3';
import type { Db } from './open-database.js';

export type Statement = Database.Statement;

/** Well above the texts this store builds; past it (a caller inlining values), statements are prepared each time rather than kept. */
const MAX_STATEMENTS = 2000;

export class Statements {
  private readonly rows = new Map<string, Statement>();
  private readonly values = new Map<string, Statement>();

  constructor(private readonly db: Db) {}

  /** The statement for `sql`, returning rows. */
  stmt(sql: string): Statement {
    return this.cached(this.rows, sql, (s) => s);
  }

  /** The statement for `sql`, returning the first column of each row (better-sqlite3's pluck mode). */
  pluck(sql: string): Statement {
    // Kept apart from stmt(): pluck() switches the statement object itself, for every later use.
    return this.cached(this.values, sql, (s) => s.pluck());
  }

  private cached(map: Map<string, Statement>, sql: string, mode: (s: Statement) => Statement): Statement {
    let s = map.get(sql);
    if (!s) {
      s = mode(this.db.prepare(sql));
      if (map.size < MAX_STATEMENTS) map.set(sql, s);
    }
    return s;
  }
}
