/** The audit of lookups on PostgreSQL: one insert per lookup, read newest first by keyset. */
import type { LookupEntry, LookupFilter, LookupRecord } from '../../model/lookup.js';
import { lookupsQuery, pageOf, type LookupRow } from '../lookup-page.js';
import type { Page } from '../store.js';
import type { Query } from './pg-event-reads.js';

export async function pgRecordLookup(q: Query, e: LookupEntry): Promise<void> {
  await q('INSERT INTO lookups (time, actor_kind, actor, org, kind, target, address) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
    e.time,
    e.actorKind,
    e.actor,
    e.org,
    e.kind,
    e.target,
    e.address,
  ]);
}

export async function pgLookups(q: Query, f: LookupFilter, cursor?: string | null): Promise<Page<LookupRecord>> {
  const { sql, args, limit } = lookupsQuery('postgres', f, cursor);
  return pageOf(await q<LookupRow>(sql, args), limit);
}
