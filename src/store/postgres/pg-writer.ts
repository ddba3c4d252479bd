/**
 * writeBatch for PostgreSQL: one transaction holding the events, unparsed
 * lines, request/audit/lifecycle rows, containers, counters, the streams'
 * checkpoints and the idempotency record — all or nothing. What is kept and
 * what a stream's row becomes follow write-rules.ts, as in SQLite. Stream rows
 * are locked (in key order) for the transaction, so concurrent writers of one
 * stream queue instead of racing, and the values the rules compute from the
 * rows read are still theirs when written. Events and request summaries,
 * the bulk of a batch, go in by COPY into staging tables merged by one
 * INSERT … SELECT each (pg-staging.ts); the few other rows as multi-row
 * INSERTs over unnest() arrays: never a round trip per line.
 */
import { SOURCES } from '../../model/event.js';
import { encodeForStore, isNotable, offsetOf } from '../event-codec.js';
import type { PreparedBatch } from '../prepared-batch.js';
import { preparedLines, preparedStreamParts } from '../prepared-events.js';
import type { Redactor } from '../../redact/redactor.js';
import type { StreamBatch, WriteBatch, WriteResult } from '../store.js';
import { counterRows, countSource, freshFilter, idempotentRepeat, markAfter, mergeStream, writeResult, type SourceCounts, type StoredStream, type StreamMark } from '../write-rules.js';
import type { Client } from './pg-connect.js';
import { insertActivity, pgText, upsertContainers, type Stored } from './pg-derived-rows.js';
import { refJson, type RefCache } from './pg-refs.js';
import { dayNumber } from './pg-partitions.js';
import { Staging } from './pg-staging.js';

/** A locked streams row: the stored stream and its id. */
type StreamRow = StoredStream & { id: number };

/**
 * Inserts a batch's events: COPY into the staging table, then one INSERT …
 * SELECT that skips any (stream, offset) stored already. Answers the events
 * actually inserted, in batch order: the select names the staged rows that
 * the insert skipped (usually none, so nothing comes back).
 */
async function insertEvents(c: Client, staging: Staging, rows: Stored[], refs: Map<string, number>, redactor: Redactor): Promise<Stored[]> {
  if (!rows.length) return [];
  const first = await staging.copy(
    c,
    'events_in',
    (function* () {
      for (const { e, stream, line } of rows) {
        const container = e.source === 'container' ? e.container : null;
        yield [
          stream,
          offsetOf(e.id),
          e.time,
          SOURCES.indexOf(e.source),
          e.cid,
          container ? pgText(container.wok) : null,
          container ? refs.get(refJson(container))! : null,
          isNotable(e),
          line ?? encodeForStore(e, redactor),
        ];
      }
    })(),
  );
  const skipped = await c.query<{ ord: number }>(
    `WITH ins AS (
       INSERT INTO events (stream, off, time, source, cid, wok, ref, notable, data)
       SELECT stream, off, time, source, cid, wok, ref, notable, data FROM pg_temp.events_in WHERE ord >= $1
       ON CONFLICT (stream, off, time) DO NOTHING RETURNING stream, off
     )
     SELECT s.ord FROM pg_temp.events_in s WHERE s.ord >= $1 AND NOT EXISTS (SELECT 1 FROM ins WHERE ins.stream = s.stream AND ins.off = s.off)`,
    [first],
  );
  if (!skipped.rows.length) return rows;
  const gone = new Set(skipped.rows.map((r) => r.ord - first));
  return rows.filter((_, i) => !gone.has(i));
}

/**
 * Creates missing streams (named as by the first part of the batch that writes
 * them), then locks every stream of the batch (in key order, so writers never deadlock).
 */
async function lockStreams(c: Client, batches: StreamBatch[], now: number): Promise<Map<string, StreamRow>> {
  const infos = new Map<string, StreamBatch['stream']>();
  for (const b of batches) if (!infos.has(b.stream.key)) infos.set(b.stream.key, b.stream);
  const keys = [...infos.keys()].sort();
  const list = keys.map((k) => infos.get(k)!);
  await c.query(
    `INSERT INTO streams (key, kind, path, source, container_id, updated_at)
     SELECT k, kind, path, source, container_id, $6 FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) AS s(k, kind, path, source, container_id)
     ON CONFLICT (key) DO NOTHING`,
    [keys, list.map((s) => s.kind), list.map((s) => s.path), list.map((s) => s.source), list.map((s) => s.container?.id ?? null), now],
  );
  const r = await c.query<Omit<StreamRow, 'ahead'> & { key: string; ahead: number[] | null }>(
    `SELECT id, key, path, dev, ino, off AS "offset", line, size, last_time AS "lastTime", tail, events, unparsed, invalid_utf8 AS "invalidUtf8", truncated, ahead
     FROM streams WHERE key = ANY($1::text[]) ORDER BY key FOR UPDATE`,
    [keys],
  );
  return new Map(r.rows.map(({ key, ahead, ...row }) => [key, { ...row, ahead: ahead ?? [] }]));
}

/**
 * Adds a batch's events to event_days (per UTC day and source, keys "day
 * source"), in key order so two writers lock the rows in the same order.
 */
async function countDays(c: Client, perDay: Map<string, number>): Promise<void> {
  if (!perDay.size) return;
  const rows = [...perDay].map(([k, n]) => [...k.split(' ').map(Number), n] as [number, number, number]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  await c.query(
    `INSERT INTO event_days (day, source, events) SELECT * FROM unnest($1::bigint[], $2::smallint[], $3::bigint[])
     ON CONFLICT (day, source) DO UPDATE SET events = event_days.events + EXCLUDED.events`,
    [rows.map((r) => r[0]), rows.map((r) => r[1]), rows.map((r) => r[2])],
  );
}

export class PgWriter {
  private readonly staging = new Staging();

  constructor(
    private readonly refs: RefCache,
    /** Removes secrets from every event written (encodeForStore). */
    private readonly redactor: Redactor,
  ) {}

  /**
   * A prepared batch (bulk ingest's parser threads made it), inside the
   * caller's transaction: decoded back to events (prepared-events.ts) one
   * stream's piece at a time, each written as write() writes a batch, so only
   * one piece is held as events at once and each piece's checkpoint goes in
   * with its rows. A batch under an idempotency key is written whole, as
   * write() answers for the key once.
   */
  async writePrepared(c: Client, batch: PreparedBatch): Promise<WriteResult> {
    await this.staging.prepare(c);
    if (batch.idempotency) {
      const parts = batch.streams.map(preparedStreamParts);
      return this.writeParts(c, { streams: parts.map((p) => p.part), idempotency: batch.idempotency }, parts.map((p) => p.lines));
    }
    let offered = 0;
    let events = 0;
    let unparsed = 0;
    for (const sb of batch.streams) {
      offered += preparedLines(sb);
      const { part, lines } = preparedStreamParts(sb);
      const r = await this.writeParts(c, { streams: [part] }, [lines]);
      events += r.events;
      unparsed += r.unparsed;
    }
    return writeResult(offered, events, unparsed);
  }

  /** Runs inside the caller's transaction. */
  async write(c: Client, batch: WriteBatch): Promise<WriteResult> {
    await this.staging.prepare(c);
    return this.writeParts(c, batch, null);
  }

  /**
   * write() with the staging tables in place. `lines`, when given, holds
   * each part's events already encoded for the store (a prepared block's
   * lines, redacted when they were encoded), in the part's order: stored as
   * they are rather than encoded again.
   */
  private async writeParts(c: Client, batch: WriteBatch, lines: readonly (readonly string[])[] | null): Promise<WriteResult> {
    const now = Date.now();
    if (batch.idempotency) {
      const { key, digest } = batch.idempotency;
      // Claiming the key first makes a concurrent repeat wait here until this transaction ends.
      const claim = await c.query('INSERT INTO idempotency (key, digest, result, created_at) VALUES ($1, $2, NULL, $3) ON CONFLICT (key) DO NOTHING', [key, digest, now]);
      if (claim.rowCount === 0) {
        const prior = await c.query<{ digest: string; result: string | null }>('SELECT digest, result FROM idempotency WHERE key = $1', [key]);
        const repeat = idempotentRepeat(batch.idempotency, prior.rows[0]);
        if (repeat) return repeat;
      }
    }
    const rows = await lockStreams(c, batch.streams, now);
    const marks = new Map<string, StreamMark>(rows);
    const plan: { sb: StreamBatch; id: number; kept: Stored[]; keptUnparsed: StreamBatch['unparsed']; ahead: readonly number[] }[] = [];
    let offered = 0;
    for (const [i, sb] of batch.streams.entries()) {
      const key = sb.stream.key;
      const mark = marks.get(key)!;
      const fresh = freshFilter(mark);
      const id = rows.get(key)!.id;
      const encoded = lines?.[i];
      const kept: Stored[] = [];
      sb.events.forEach((e, j) => {
        if (fresh(offsetOf(e.id))) kept.push(encoded ? { e, stream: id, line: encoded[j]! } : { e, stream: id });
      });
      const keptUnparsed = sb.unparsed.filter((u) => fresh(u.offset));
      offered += sb.events.length + sb.unparsed.length;
      // The same stream twice in one batch: the second part is checked against the mark the first left.
      const next = markAfter(mark, sb.checkpoint, [kept.map((k) => offsetOf(k.e.id)), keptUnparsed.map((u) => u.offset)]);
      marks.set(key, next);
      plan.push({ sb, id, kept, keptUnparsed, ahead: next.ahead });
    }

    const candidates: Stored[] = plan.flatMap((p) => p.kept);
    const refIds = await this.refs.resolve(c, candidates.flatMap(({ e }) => (e.source === 'container' ? [e.container] : [])));
    const stored = await insertEvents(c, this.staging, candidates, refIds, this.redactor);
    await insertActivity(c, this.staging, stored);
    await upsertContainers(c, stored);

    const perStream = new Map<number, number>();
    const counts: SourceCounts = {};
    const perDay = new Map<string, number>();
    for (const { e, stream } of stored) {
      perStream.set(stream, (perStream.get(stream) ?? 0) + 1);
      countSource(counts, e.source, 1);
      const k = `${dayNumber(e.time)} ${SOURCES.indexOf(e.source)}`;
      perDay.set(k, (perDay.get(k) ?? 0) + 1);
    }
    await countDays(c, perDay);
    let unparsed = 0;
    const up = plan.flatMap((p) => p.keptUnparsed.map((u) => ({ u, stream: p.id })));
    if (up.length) {
      const r = await c.query(
        `INSERT INTO unparsed (stream, off, line, reason, head, time)
         SELECT stream, off, line, reason, head, time FROM unnest($1::int[], $2::bigint[], $3::bigint[], $4::text[], $5::bytea[], $6::bigint[]) WITH ORDINALITY
              AS u(stream, off, line, reason, head, time, ord) ORDER BY ord
         ON CONFLICT (stream, off, time) DO NOTHING`,
        [up.map((x) => x.stream), up.map((x) => x.u.offset), up.map((x) => x.u.line), up.map((x) => pgText(x.u.reason)), up.map((x) => Buffer.from(x.u.head, 'utf8')), up.map((x) => x.u.time)],
      );
      unparsed = r.rowCount ?? 0;
    }
    const counters = counterRows(counts);
    if (counters.length) {
      await c.query(
        `INSERT INTO counters (source, events) SELECT * FROM unnest($1::text[], $2::bigint[])
         ON CONFLICT (source) DO UPDATE SET events = counters.events + EXCLUDED.events`,
        [counters.map(([s]) => s), counters.map(([, n]) => n)],
      );
    }
    for (const p of plan) {
      const key = p.sb.stream.key;
      // A stream's events of the batch all count with its first part.
      const events = perStream.get(p.id) ?? 0;
      perStream.delete(p.id);
      rows.set(key, { id: p.id, ...mergeStream(rows.get(key)!, { path: p.sb.stream.path, checkpoint: p.sb.checkpoint, events, unparsed: p.keptUnparsed.length, ahead: p.ahead }) });
    }
    for (const r of rows.values()) {
      await c.query(
        `UPDATE streams SET path = $2, dev = $3, ino = $4, off = $5, line = $6, size = $7, last_time = $8, tail = $9,
           events = $10, unparsed = $11, invalid_utf8 = $12, truncated = $13, ahead = $14, updated_at = $15 WHERE id = $1`,
        [r.id, r.path, r.dev, r.ino, r.offset, r.line, r.size, r.lastTime, r.tail, r.events, r.unparsed, r.invalidUtf8, r.truncated, r.ahead.length ? r.ahead : null, now],
      );
    }
    const result = writeResult(offered, stored.length, unparsed);
    if (batch.idempotency) await c.query('UPDATE idempotency SET result = $2 WHERE key = $1', [batch.idempotency.key, JSON.stringify(result)]);
    return result;
  }
}
