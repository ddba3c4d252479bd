/**
 * StoreTransfer on SQLite: a stream's lines read back from its blocks and
 * unparsed rows in offset order, the health history and lookup audit in pages
 * of whole times, and operators, tokens and lookups written as they were
 * stored elsewhere.
 */
import type { ApiToken, Operator } from '../../model/access.js';
import type { ContainerRef, Event, Source, Unparsed } from '../../model/event.js';
import type { CheckRecord, CheckStatus } from '../../model/health.js';
import type { LookupEntry } from '../../model/lookup.js';
import { storedLines, type StoredLines } from '../block-codec.js';
import { decodeEvent, offsetOf } from '../event-codec.js';
import { lookupFromRow, type LookupRow } from '../lookup-page.js';
import type { IdempotencyEntry, StreamLines } from '../store.js';
import { mergeLines } from '../transfer-pages.js';
import type { Db } from './open-database.js';
import type { Statements } from './statements.js';

interface BlockRow {
  off0: number;
  source: Source;
  container: string | null;
  data: StoredLines;
}

export class TransferTables {
  constructor(
    private readonly db: Db,
    private readonly st: Statements,
  ) {}

  streamLines(streamKey: string, from: number, limit: number): StreamLines {
    const n = Math.max(1, Math.floor(limit));
    const stream = this.st.pluck('SELECT id FROM streams WHERE key = ?').get(streamKey) as number | undefined;
    if (stream === undefined) return { events: [], unparsed: [], next: null };
    // Blocks of a stream can overlap in offsets (lines stored ahead of an unfinished Docker line): read on until
    // the next block starts past the n+1 smallest offsets held.
    const events: Event[] = [];
    const refs = new Map<string, ContainerRef>();
    const blocks = this.st
      .stmt('SELECT off0, source, container, data FROM blocks WHERE stream = ? AND off1 >= ? ORDER BY off0, id')
      .iterate(stream, from) as IterableIterator<BlockRow>;
    let bound = Number.POSITIVE_INFINITY;
    for (const b of blocks) {
      if (b.off0 > bound) break;
      let container: ContainerRef | null = null;
      if (b.container) {
        container = refs.get(b.container) ?? (JSON.parse(b.container) as ContainerRef);
        refs.set(b.container, container);
      }
      for (const line of storedLines(b.data)) {
        const e = decodeEvent(line, { streamKey, source: b.source, container });
        if (offsetOf(e.id) >= from) events.push(e);
      }
      if (events.length > n) {
        events.sort((x, y) => offsetOf(x.id) - offsetOf(y.id));
        events.length = n + 1;
        bound = offsetOf(events[n]!.id);
      }
    }
    events.sort((x, y) => offsetOf(x.id) - offsetOf(y.id));
    const unparsed = this.st
      .stmt(
        `SELECT s.key AS stream, s.path, u.offset, u.line, u.reason, u.head, u.time FROM unparsed u JOIN streams s ON s.id = u.stream
         WHERE u.stream = ? AND u.offset >= ? ORDER BY u.offset LIMIT ?`,
      )
      .all(stream, from, n + 1) as Unparsed[];
    return mergeLines(events, unparsed, n);
  }

  checksAfter(after: number, limit: number): CheckRecord[] {
    const bound = this.bound('checks', after, limit);
    const rows = this.st
      .stmt(`SELECT check_name, status, time, output FROM checks WHERE time > ? ${bound === undefined ? '' : 'AND time <= ?'} ORDER BY time, id`)
      .all(...(bound === undefined ? [after] : [after, bound])) as { check_name: string; status: CheckStatus; time: number; output: string | null }[];
    return rows.map((r) => ({ check: r.check_name, status: r.status, time: r.time, output: r.output }));
  }

  lookupsAfter(after: number, limit: number): LookupEntry[] {
    const bound = this.bound('lookups', after, limit);
    const rows = this.st
      .stmt(`SELECT * FROM lookups WHERE time > ? ${bound === undefined ? '' : 'AND time <= ?'} ORDER BY time, id`)
      .all(...(bound === undefined ? [after] : [after, bound])) as LookupRow[];
    return rows.map((r) => {
      const { id: _id, ...entry } = lookupFromRow(r);
      return entry;
    });
  }

  newestRecords(): { checks: number | null; lookups: number | null } {
    return {
      checks: (this.st.pluck('SELECT MAX(time) FROM checks').get() as number | null) ?? null,
      lookups: (this.st.pluck('SELECT MAX(time) FROM lookups').get() as number | null) ?? null,
    };
  }

  importLookups(entries: readonly LookupEntry[]): void {
    const ins = this.st.stmt('INSERT INTO lookups (time, actor_kind, actor, org, kind, target, address) VALUES (?, ?, ?, ?, ?, ?, ?)');
    this.db
      .transaction(() => {
        for (const e of entries) ins.run(e.time, e.actorKind, e.actor, e.org, e.kind, e.target, e.address);
      })
      .immediate();
  }

  importOperator(op: Omit<Operator, 'id'>): boolean {
    const r = this.st
      .stmt('INSERT INTO operators (email, password_hash, created_at, disabled_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING')
      .run(op.email, op.passwordHash, op.createdAt, op.disabledAt);
    return r.changes > 0;
  }

  importToken(t: Omit<ApiToken, 'id'>): boolean {
    const r = this.st
      .stmt('INSERT INTO tokens (name, scope, hash, created_at, revoked_at, last_used_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING')
      .run(t.name, t.scope, t.hash, t.createdAt, t.revokedAt, t.lastUsedAt);
    return r.changes > 0;
  }

  idempotencyAfter(after: string, limit: number): IdempotencyEntry[] {
    return this.st
      .stmt('SELECT key, digest, result, created_at AS createdAt FROM idempotency WHERE key > ? ORDER BY key LIMIT ?')
      .all(after, Math.max(1, Math.floor(limit))) as IdempotencyEntry[];
  }

  importIdempotency(entries: readonly IdempotencyEntry[]): number {
    const ins = this.st.stmt('INSERT INTO idempotency (key, digest, result, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING');
    return this.db
      .transaction(() => {
        let n = 0;
        for (const e of entries) n += ins.run(e.key, e.digest, e.result, e.createdAt).changes;
        return n;
      })
      .immediate();
  }

  /** The time of the `limit`-th record after `after` (a page ends with every record of that time), or undefined when fewer remain. */
  private bound(table: 'checks' | 'lookups', after: number, limit: number): number | undefined {
    const t = this.st.pluck(`SELECT time FROM ${table} WHERE time > ? ORDER BY time LIMIT 1 OFFSET ?`).get(after, Math.max(1, Math.floor(limit)) - 1) as number | undefined;
    return t ?? undefined;
  }
}
