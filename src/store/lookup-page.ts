/** A page of the audit of lookups: its query in either dialect, and the page from rows as either backend stores them (snake_case columns). */
import type { LookupRecord } from '../model/lookup.js';
import type { LookupFilter } from '../model/lookup.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { SqlWhere, type Dialect } from './sql-where.js';
import type { Page } from './store.js';

export interface LookupRow {
  id: number | string;
  time: number | string;
  actor_kind: LookupRecord['actorKind'];
  actor: string;
  org: string | null;
  kind: LookupRecord['kind'];
  target: string;
  address: string | null;
}

/** The most rows one page holds, and the default. */
export const LOOKUP_PAGE_MAX = 500;
export const LOOKUP_PAGE_DEFAULT = 50;

function pageLimit(limit: number | undefined): number {
  return Math.max(1, Math.min(limit ?? LOOKUP_PAGE_DEFAULT, LOOKUP_PAGE_MAX));
}

export function lookupFromRow(r: LookupRow): LookupRecord {
  return { id: Number(r.id), time: Number(r.time), actorKind: r.actor_kind, actor: r.actor, org: r.org, kind: r.kind, target: r.target, address: r.address };
}

/** One page of the audit of lookups, newest first: the query in either dialect, and its row limit. */
export function lookupsQuery(dialect: Dialect, f: LookupFilter, cursor: string | null | undefined): { sql: string; args: unknown[]; limit: number } {
  const limit = pageLimit(f.limit);
  const w = new SqlWhere(dialect).when('actor', '=', f.actor).when('org', '=', f.org).olderThan(decodeCursor(cursor));
  return { sql: `SELECT * FROM lookups ${w.clause} ORDER BY time DESC, id DESC LIMIT ${w.arg(limit + 1)}`, args: w.args, limit };
}

/** `rows` were read with LIMIT limit + 1: one more means there is an older page. */
export function pageOf(rows: LookupRow[], limit: number): Page<LookupRecord> {
  const items = rows.slice(0, limit).map(lookupFromRow);
  const last = items[items.length - 1];
  return { items, next: rows.length > limit && last ? encodeCursor({ time: last.time, id: last.id }) : null };
}
