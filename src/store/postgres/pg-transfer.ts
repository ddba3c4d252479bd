/**
 * StoreTransfer on PostgreSQL: a stream's lines (its blocks unpacked) and
 * unparsed lines in offset order, the health history and lookup audit in pages of whole
 * times, and operators, tokens, lookups and Idempotency-Keys written as they
 * were stored elsewhere (ON CONFLICT DO NOTHING: an email, a digest, a live
 * token name or a key already here is kept as it is).
 */
import type { ApiToken, Operator } from '../../model/access.js';
import { SOURCES, type Event, type Unparsed } from '../../model/event.js';
import type { CheckRecord, CheckStatus } from '../../model/health.js';
import type { LookupEntry } from '../../model/lookup.js';
import { storedLines } from '../block-codec.js';
import { decodeEvent, offsetOf } from '../event-codec.js';
import { lookupFromRow, type LookupRow } from '../lookup-page.js';
import type { IdempotencyEntry, StreamLines } from '../store.js';
import { mergeLines } from '../transfer-pages.js';
import type { Client } from './pg-connect.js';
import type { Query } from './pg-event-reads.js';
import type { RefCache } from './pg-refs.js';

type Tx = <T>(fn: (c: Client) => Promise<T>) => Promise<T>;

/** Blocks read at a time for a page of a stream's lines. */
const PAGE = 16;

export class PgTransfer {
  constructor(
    private readonly q: Query,
    private readonly tx: Tx,
    private readonly refs: RefCache,
  ) {}

  async streamLines(streamKey: string, from: number, limit: number): Promise<StreamLines> {
    const n = Math.max(1, Math.floor(limit));
    const [s] = await this.q<{ id: number }>('SELECT id FROM streams WHERE key = $1', [streamKey]);
    if (!s) return { events: [], unparsed: [], next: null };
    // Blocks of a stream can overlap in offsets (lines stored ahead of an unfinished Docker line): read on until
    // the next block starts past the n+1 smallest offsets held.
    const events: Event[] = [];
    let bound = Number.POSITIVE_INFINITY;
    let last: [number, number] = [-1, Number.MIN_SAFE_INTEGER];
    read: for (;;) {
      const rows = await this.q<{ off0: number; t0: number; source: number; ref: string | null; data: Buffer }>(
        `SELECT b.off0, b.t0, b.source, r.ref, b.data FROM blocks b LEFT JOIN container_refs r ON r.id = b.ref
         WHERE b.stream = $1 AND b.off1 >= $2 AND (b.off0, b.t0) > ($3, $4) ORDER BY b.off0, b.t0 LIMIT ${PAGE}`,
        [s.id, from, ...last],
      );
      for (const b of rows) {
        if (b.off0 > bound) break read;
        const ctx = { streamKey, source: SOURCES[b.source]!, container: this.refs.parse(b.ref) };
        for (const line of storedLines(b.data)) {
          const e = decodeEvent(line, ctx);
          if (offsetOf(e.id) >= from) events.push(e);
        }
        if (events.length > n) {
          events.sort((x, y) => offsetOf(x.id) - offsetOf(y.id));
          events.length = n + 1;
          bound = offsetOf(events[n]!.id);
        }
        last = [b.off0, b.t0];
      }
      if (rows.length < PAGE) break;
    }
    events.sort((x, y) => offsetOf(x.id) - offsetOf(y.id));
    const up = await this.q<Omit<Unparsed, 'head'> & { head: Buffer }>(
      `SELECT s.key AS stream, s.path, u.off AS "offset", u.line, u.reason, u.head, u.time FROM unparsed u JOIN streams s ON s.id = u.stream
       WHERE u.stream = $1 AND u.off >= $2 ORDER BY u.off LIMIT $3`,
      [s.id, from, n + 1],
    );
    return mergeLines(events, up.map((u) => ({ ...u, head: u.head.toString('utf8') })), n);
  }

  async checksAfter(after: number, limit: number): Promise<CheckRecord[]> {
    const bound = await this.bound('checks', after, limit);
    const rows = await this.q<{ check_name: string; status: CheckStatus; time: number; output: string | null }>(
      `SELECT check_name, status, time, output FROM checks WHERE time > $1 ${bound === undefined ? '' : 'AND time <= $2'} ORDER BY time, id`,
      bound === undefined ? [after] : [after, bound],
    );
    return rows.map((r) => ({ check: r.check_name, status: r.status, time: r.time, output: r.output }));
  }

  async lookupsAfter(after: number, limit: number): Promise<LookupEntry[]> {
    const bound = await this.bound('lookups', after, limit);
    const rows = await this.q<LookupRow>(`SELECT * FROM lookups WHERE time > $1 ${bound === undefined ? '' : 'AND time <= $2'} ORDER BY time, id`, bound === undefined ? [after] : [after, bound]);
    return rows.map((r) => {
      const { id: _id, ...entry } = lookupFromRow(r);
      return entry;
    });
  }

  async newestRecords(): Promise<{ checks: number | null; lookups: number | null }> {
    const [r] = await this.q<{ checks: number | null; lookups: number | null }>('SELECT (SELECT max(time) FROM checks) AS checks, (SELECT max(time) FROM lookups) AS lookups');
    return { checks: r!.checks, lookups: r!.lookups };
  }

  async importLookups(entries: readonly LookupEntry[]): Promise<void> {
    if (!entries.length) return;
    await this.tx((c) =>
      c.query(
        `INSERT INTO lookups (time, actor_kind, actor, org, kind, target, address)
         SELECT time, actor_kind, actor, org, kind, target, address
         FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) WITH ORDINALITY AS l(time, actor_kind, actor, org, kind, target, address, ord)
         ORDER BY ord`,
        [entries.map((e) => e.time), entries.map((e) => e.actorKind), entries.map((e) => e.actor), entries.map((e) => e.org), entries.map((e) => e.kind), entries.map((e) => e.target), entries.map((e) => e.address)],
      ),
    );
  }

  async importOperator(op: Omit<Operator, 'id'>): Promise<boolean> {
    const r = await this.q<{ id: number }>(
      'INSERT INTO operators (email, password_hash, created_at, disabled_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING id',
      [op.email, op.passwordHash, op.createdAt, op.disabledAt],
    );
    return r.length > 0;
  }

  async importToken(t: Omit<ApiToken, 'id'>): Promise<boolean> {
    const r = await this.q<{ id: number }>(
      'INSERT INTO tokens (name, scope, hash, created_at, revoked_at, last_used_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING id',
      [t.name, t.scope, t.hash, t.createdAt, t.revokedAt, t.lastUsedAt],
    );
    return r.length > 0;
  }

  async idempotencyAfter(after: string, limit: number): Promise<IdempotencyEntry[]> {
    return this.q<IdempotencyEntry>(
      'SELECT key, digest, result, created_at AS "createdAt" FROM idempotency WHERE key > $1 AND result IS NOT NULL ORDER BY key LIMIT $2',
      [after, Math.max(1, Math.floor(limit))],
    );
  }

  async importIdempotency(entries: readonly IdempotencyEntry[]): Promise<number> {
    if (!entries.length) return 0;
    const r = await this.tx((c) =>
      c.query(
        `INSERT INTO idempotency (key, digest, result, created_at) SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[]) ON CONFLICT DO NOTHING`,
        [entries.map((e) => e.key), entries.map((e) => e.digest), entries.map((e) => e.result), entries.map((e) => e.createdAt)],
      ),
    );
    return r.rowCount ?? 0;
  }

  /** The time of the `limit`-th record after `after` (a page ends with every record of that time), or undefined when fewer remain. */
  private async bound(table: 'checks' | 'lookups', after: number, limit: number): Promise<number | undefined> {
    const [r] = await this.q<{ time: number }>(`SELECT time FROM ${table} WHERE time > $1 ORDER BY time LIMIT 1 OFFSET $2`, [after, Math.max(1, Math.floor(limit)) - 1]);
    return r?.time;
  }
}
