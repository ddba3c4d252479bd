/**
 * writeBatch for PostgreSQL: one transaction holding the events, unparsed
 * lines, request/audit/lifecycle rows, containers, counters, the streams'
 * checkpoints and the idempotency record — all or nothing. Same rules as the
 * SQLite block writer: a line at an offset before its stream's committed
 * checkpoint, or already stored past it (`ahead`), is dropped. Stream rows are
 * locked (in key order) for the transaction, so concurrent writers of one
 * stream queue instead of racing; rows go in as a few multi-row INSERTs over
 * unnest() arrays, not a round trip per line.
 */
import type { Event, Source } from '../../model/event.js';
import { SOURCES } from '../../model/event.js';
import { encodeForStore, isNotable, offsetOf } from '../event-codec.js';
import { IdempotencyConflict } from '../store.js';
import type { StreamBatch, WriteBatch, WriteResult } from '../store.js';
import type { Client } from './pg-connect.js';
import { insertActivity, pgText, upsertContainers, type Stored } from './pg-derived-rows.js';
import { refJson, type RefCache } from './pg-refs.js';

interface StreamRow {
  id: number;
  key: string;
  off: number;
  ahead: number[] | null;
}

/** The events of one batch that were actually inserted, in batch order. */
async function insertEvents(c: Client, rows: Stored[], refs: Map<string, number>): Promise<Stored[]> {
  if (!rows.length) return [];
  const cols = { stream: [] as number[], off: [] as number[], time: [] as number[], source: [] as number[], cid: [] as (string | null)[], wok: [] as (string | null)[], ref: [] as (number | null)[], notable: [] as boolean[], data: [] as string[] };
  for (const { e, stream } of rows) {
    const container = e.source === 'container' ? e.container : null;
    cols.stream.push(stream);
    cols.off.push(offsetOf(e.id));
    cols.time.push(e.time);
    cols.source.push(SOURCES.indexOf(e.source));
    cols.cid.push(e.cid);
    cols.wok.push(container ? pgText(container.wok) : null);
    cols.ref.push(container ? refs.get(refJson(container))! : null);
    cols.notable.push(isNotable(e));
    cols.data.push(encodeForStore(e));
  }
  const r = await c.query<{ stream: number; off: number }>(
    `INSERT INTO events (stream, off, time, source, cid, wok, ref, notable, data)
     SELECT * FROM unnest($1::int[], $2::bigint[], $3::bigint[], $4::smallint[], $5::text[], $6::text[], $7::int[], $8::bool[], $9::text[])
     ON CONFLICT (stream, off) DO NOTHING RETURNING stream, off`,
    [cols.stream, cols.off, cols.time, cols.source, cols.cid, cols.wok, cols.ref, cols.notable, cols.data],
  );
  if (r.rows.length === rows.length) return rows;
  const inserted = new Set(r.rows.map((x) => `${x.stream}:${x.off}`));
  return rows.filter(({ e, stream }) => inserted.has(`${stream}:${offsetOf(e.id)}`));
}

/** Creates missing streams, then locks every stream of the batch (in key order, so writers never deadlock). */
async function lockStreams(c: Client, batches: StreamBatch[], now: number): Promise<Map<string, StreamRow>> {
  const infos = new Map(batches.map((b) => [b.stream.key, b.stream]));
  const keys = [...infos.keys()].sort();
  const list = keys.map((k) => infos.get(k)!);
  await c.query(
    `INSERT INTO streams (key, kind, path, source, container_id, updated_at)
     SELECT k, kind, path, source, container_id, $6 FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) AS s(k, kind, path, source, container_id)
     ON CONFLICT (key) DO NOTHING`,
    [keys, list.map((s) => s.kind), list.map((s) => s.path), list.map((s) => s.source), list.map((s) => s.container?.id ?? null), now],
  );
  const r = await c.query<StreamRow>('SELECT id, key, off, ahead FROM streams WHERE key = ANY($1::text[]) ORDER BY key FOR UPDATE', [keys]);
  return new Map(r.rows.map((row) => [row.key, row]));
}

export class PgWriter {
  constructor(private readonly refs: RefCache) {}

  /** Runs inside the caller's transaction. */
  async write(c: Client, batch: WriteBatch): Promise<WriteResult> {
    const now = Date.now();
    if (batch.idempotency) {
      const { key, digest } = batch.idempotency;
      // Claiming the key first makes a concurrent repeat wait here until this transaction ends.
      const claim = await c.query('INSERT INTO idempotency (key, digest, result, created_at) VALUES ($1, $2, NULL, $3) ON CONFLICT (key) DO NOTHING', [key, digest, now]);
      if (claim.rowCount === 0) {
        const prior = await c.query<{ digest: string; result: string | null }>('SELECT digest, result FROM idempotency WHERE key = $1', [key]);
        const row = prior.rows[0];
        if (row && row.digest !== digest) throw new IdempotencyConflict(key);
        if (row?.result) return { ...(JSON.parse(row.result) as WriteResult), duplicate: true };
      }
    }
    const streams = await lockStreams(c, batch.streams, now);
    const plan: { sb: StreamBatch; row: StreamRow; kept: Event[]; keptUnparsed: StreamBatch['unparsed']; ahead: number[] }[] = [];
    let offered = 0;
    for (const sb of batch.streams) {
      const row = streams.get(sb.stream.key)!;
      const known = new Set(row.ahead ?? []);
      const fresh = (o: number) => o >= row.off && !known.has(o);
      const kept = sb.events.filter((e) => fresh(offsetOf(e.id)));
      const keptUnparsed = sb.unparsed.filter((u) => fresh(u.offset));
      offered += sb.events.length + sb.unparsed.length;
      const floor = Math.max(sb.checkpoint.offset, row.off);
      const ahead = [...new Set([...kept.map((e) => offsetOf(e.id)), ...keptUnparsed.map((u) => u.offset), ...(row.ahead ?? [])].filter((o) => o >= floor))].sort((a, b) => a - b);
      plan.push({ sb, row, kept, keptUnparsed, ahead });
      // The same stream twice in one batch: the second part sees the first.
      row.off = Math.max(row.off, sb.checkpoint.offset);
      row.ahead = ahead;
    }

    const candidates: Stored[] = plan.flatMap((p) => p.kept.map((e) => ({ e, stream: p.row.id })));
    const refIds = await this.refs.resolve(c, candidates.flatMap(({ e }) => (e.source === 'container' ? [e.container] : [])));
    const stored = await insertEvents(c, candidates, refIds);
    await insertActivity(c, stored);
    await upsertContainers(c, stored);

    const perStream = new Map<number, number>();
    const counts: Partial<Record<Source, number>> = {};
    for (const { e, stream } of stored) {
      perStream.set(stream, (perStream.get(stream) ?? 0) + 1);
      counts[e.source] = (counts[e.source] ?? 0) + 1;
    }
    let unparsed = 0;
    const up = plan.flatMap((p) => p.keptUnparsed.map((u) => ({ u, stream: p.row.id })));
    if (up.length) {
      const r = await c.query(
        `INSERT INTO unparsed (stream, off, line, reason, head, time)
         SELECT stream, off, line, reason, head, time FROM unnest($1::int[], $2::bigint[], $3::bigint[], $4::text[], $5::bytea[], $6::bigint[]) WITH ORDINALITY
              AS u(stream, off, line, reason, head, time, ord) ORDER BY ord
         ON CONFLICT (stream, off) DO NOTHING`,
        [up.map((x) => x.stream), up.map((x) => x.u.offset), up.map((x) => x.u.line), up.map((x) => pgText(x.u.reason)), up.map((x) => Buffer.from(x.u.head, 'utf8')), up.map((x) => x.u.time)],
      );
      unparsed = r.rowCount ?? 0;
    }
    const sources = (Object.keys(counts) as Source[]).sort();
    if (sources.length) {
      await c.query(
        `INSERT INTO counters (source, events) SELECT * FROM unnest($1::text[], $2::bigint[])
         ON CONFLICT (source) DO UPDATE SET events = counters.events + EXCLUDED.events`,
        [sources, sources.map((s) => counts[s]!)],
      );
    }
    for (const p of plan) {
      const cp = p.sb.checkpoint;
      const events = perStream.get(p.row.id) ?? 0;
      perStream.delete(p.row.id);
      await c.query(
        `UPDATE streams SET path = COALESCE($2, path), dev = $3, ino = $4, off = GREATEST(off, $5), line = GREATEST(line, $6), size = $7,
           last_time = GREATEST(last_time, $8), events = events + $9, unparsed = unparsed + $10, invalid_utf8 = invalid_utf8 + $11,
           truncated = truncated + $12, ahead = $13, updated_at = $14, tail = CASE WHEN $5 > off THEN $15 WHEN $5 = off THEN COALESCE($15, tail) ELSE tail END WHERE id = $1`,
        [p.row.id, p.sb.stream.path, cp.dev, cp.ino, cp.offset, cp.line, cp.size, cp.lastTime, events, p.keptUnparsed.length, cp.invalidUtf8, cp.truncated, p.ahead.length ? p.ahead : null, now, cp.tail ?? null],
      );
    }
    const events = stored.length;
    const result: WriteResult = { events, unparsed, duplicate: offered > 0 && events + unparsed === 0 };
    if (batch.idempotency) await c.query('UPDATE idempotency SET result = $2 WHERE key = $1', [batch.idempotency.key, JSON.stringify(result)]);
    return result;
  }
}
