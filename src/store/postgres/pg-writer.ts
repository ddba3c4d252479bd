/**
 * Writes for PostgreSQL: one transaction holding the blocks and their
 * correlation ids (pg-blocks.ts), unparsed lines, request/audit/lifecycle
 * rows, containers, counters, the streams' checkpoints and the idempotency
 * record — all or nothing. A prepared batch (prepared-batch.ts; bulk ingest's
 * parser threads made it) is written as it comes, its blocks stored packed;
 * a write batch (follow mode, copy) is prepared here first, as SQLite does.
 * What is kept and what a stream's row becomes follow write-rules.ts. Stream
 * rows are locked (in key order) for the transaction, so concurrent writers
 * of one stream queue instead of racing, and the values the rules compute
 * from the rows read are still theirs when written. Correlation ids,
 * request summaries, audit and lifecycle records go in by COPY
 * (pg-copy-text.ts); blocks and the few other rows as multi-row INSERTs over
 * unnest() arrays: never a round trip per line.
 */
import { SOURCES } from '../../model/event.js';
import { prepareBatch, type PreparedBatch, type PreparedStream } from '../prepared-batch.js';
import type { Redactor } from '../../redact/redactor.js';
import type { WriteBatch, WriteResult } from '../store.js';
import { counterRows, countSource, freshBlocks, freshFilter, idempotentRepeat, markAfter, mergeStream, writeResult, type SourceCounts, type StoredStream, type StreamMark } from '../write-rules.js';
import { insertBlocks, type BlockItem } from './pg-blocks.js';
import type { Client } from './pg-connect.js';
import { insertActivity, pgText, upsertContainers } from './pg-derived-rows.js';
import type { RefCache } from './pg-refs.js';
import { dayNumber } from './pg-partitions.js';

/** A locked streams row: the stored stream and its id. */
type StreamRow = StoredStream & { id: number };

/**
 * Creates missing streams (named as by the first part of the batch that writes
 * them), then locks every stream of the batch (in key order, so writers never deadlock).
 */
async function lockStreams(c: Client, batches: readonly PreparedStream[], now: number): Promise<Map<string, StreamRow>> {
  const infos = new Map<string, PreparedStream['stream']>();
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
  constructor(
    private readonly refs: RefCache,
    /** Removes secrets from every event written (prepareBatch, and a block prepared again from its fresh lines). */
    private readonly redactor: Redactor,
  ) {}

  /** Runs inside the caller's transaction. */
  async write(c: Client, batch: WriteBatch): Promise<WriteResult> {
    return this.writePrepared(c, prepareBatch(batch, this.redactor));
  }

  /** Runs inside the caller's transaction. */
  async writePrepared(c: Client, batch: PreparedBatch): Promise<WriteResult> {
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
    const plan: { sb: PreparedStream; id: number; keptUnparsed: PreparedStream['unparsed']; ahead: readonly number[] }[] = [];
    const candidates: BlockItem[] = [];
    let offered = 0;
    for (const sb of batch.streams) {
      const key = sb.stream.key;
      const mark = marks.get(key)!;
      const fresh = freshFilter(mark);
      const id = rows.get(key)!.id;
      const blocks = freshBlocks(sb, fresh, this.redactor);
      for (const block of blocks) candidates.push({ stream: id, key, block });
      const keptUnparsed = sb.unparsed.filter((u) => fresh(u.offset));
      offered += sb.unparsed.length + sb.blocks.reduce((n, b) => n + b.offsets.length, 0);
      // The same stream twice in one batch: the second part is checked against the mark the first left.
      const next = markAfter(mark, sb.checkpoint, [keptUnparsed.map((u) => u.offset), ...blocks.map((b) => b.offsets)]);
      marks.set(key, next);
      plan.push({ sb, id, keptUnparsed, ahead: next.ahead });
    }

    const stored = await insertBlocks(c, this.refs, candidates);
    await insertActivity(c, stored);
    await upsertContainers(c, stored);

    const perStream = new Map<number, number>();
    const counts: SourceCounts = {};
    const perDay = new Map<string, number>();
    let events = 0;
    for (const { stream, block } of stored) {
      const n = block.offsets.length;
      events += n;
      perStream.set(stream, (perStream.get(stream) ?? 0) + n);
      countSource(counts, block.source, n);
      // A block lies within one UTC day (prepared-batch.ts): its events count on the day of its first time.
      const k = `${dayNumber(block.t0)} ${SOURCES.indexOf(block.source)}`;
      perDay.set(k, (perDay.get(k) ?? 0) + n);
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
    const result = writeResult(offered, events, unparsed);
    if (batch.idempotency) await c.query('UPDATE idempotency SET result = $2 WHERE key = $1', [batch.idempotency.key, JSON.stringify(result)]);
    return result;
  }
}
