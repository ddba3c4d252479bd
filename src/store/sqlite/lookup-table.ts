/** The audit of lookups on SQLite: one insert per lookup, read newest first by keyset. */
import type { LookupEntry, LookupFilter, LookupRecord } from '../../model/lookup.js';
import { decodeCursor } from '../cursor.js';
import { pageLimit, pageOf, type LookupRow } from '../lookup-page.js';
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
    const c = decodeCursor(cursor);
    const limit = pageLimit(f.limit);
    const where: string[] = [];
    const args: unknown[] = [];
    if (f.actor) {
      where.push('actor = ?');
      args.push(f.actor);
    }
    if (f.org) {
      where.push('org = ?');
      args.push(f.org);
    }
    if (c) {
      where.push('(time < ? OR (time = ? AND id < ?))');
      args.push(c.time, c.time, c.id);
    }
    const sql = `SELECT * FROM lookups ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY time DESC, id DESC LIMIT ?`;
    return pageOf(this.st.stmt(sql).all(...args, limit + 1) as LookupRow[], limit);
  }

  prune(before: number): number {
    return this.st.stmt('DELETE FROM lookups WHERE time < ?').run(before).changes;
  }
}
