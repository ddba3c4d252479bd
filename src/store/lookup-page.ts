/** A page of the audit of lookups from rows as either backend stores them (snake_case columns). */
import type { LookupRecord } from '../model/lookup.js';
import { encodeCursor } from './cursor.js';
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

export function pageLimit(limit: number | undefined): number {
  return Math.max(1, Math.min(limit ?? LOOKUP_PAGE_DEFAULT, LOOKUP_PAGE_MAX));
}

export function lookupFromRow(r: LookupRow): LookupRecord {
  return { id: Number(r.id), time: Number(r.time), actorKind: r.actor_kind, actor: r.actor, org: r.org, kind: r.kind, target: r.target, address: r.address };
}

/** `rows` were read with LIMIT limit + 1: one more means there is an older page. */
export function pageOf(rows: LookupRow[], limit: number): Page<LookupRecord> {
  const items = rows.slice(0, limit).map(lookupFromRow);
  const last = items[items.length - 1];
  return { items, next: rows.length > limit && last ? encodeCursor({ time: last.time, id: last.id }) : null };
}
