/** The audit of lookups on SQLite: one insert per lookup, read newest first by keyset. */
import type { LookupEntry, LookupFilter, LookupRecord } from '../../model/lookup.js';
import { lookupsQuery, pageOf, type LookupRow } from '../lookup-page.js';
import type { Page } from '../store.js';
import type { Statements } from './statements.js';

export class LookupTable {
  constructor(private readonly st: Statements) {}

  recordLookup(e: LookupEntry): void {
    this.st
      .stmt('INSERT INTO lookups (time, actor_kind, actor, org, kind, target, address) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(e.time, e.actorKind, e.actor, e.org, e.kind, e.target, e.address);
  }

  lookups(f: LookupFilter, cursor?: string | null): Page<LookupRecord> {
    const { sql, args, limit } = lookupsQuery('sqlite', f, cursor);
    return pageOf(this.st.stmt(sql).all(...args) as LookupRow[], limit);
  }

  prune(before: number): number {
    return this.st.stmt('DELETE FROM lookups WHERE time < ?').run(before).changes;
  }
}
