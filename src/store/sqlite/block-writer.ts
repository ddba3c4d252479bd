/**
 * writePrepared for SQLite: one IMMEDIATE transaction per batch holding the
 * blocks, the cid-index segment, request / audit / lifecycle rows, unparsed
 * lines, counters and the streams' checkpoints — all or nothing. What is kept
 * and what a stream's row becomes follow write-rules.ts: this thread reads the
 * row, applies the rules and writes the values. The encoding work happened
 * before, in prepared-batch.ts; here runs SQL.
 */
import type { RequestSummary } from '../../model/request.js';
import type { WriteResult } from '../store.js';
import { StoreError } from '../store.js';
import type { CidIndex } from './cid-index.js';
import { mapSqliteError, type Db } from './open-database.js';
import { checkFence, FENCE_SQL } from './lease-table.js';
import { keyOwnerOrder } from '../key-owner.js';
import type { PreparedBatch, PreparedBlock, PreparedStream } from '../prepared-batch.js';
import type { Redactor } from '../../redact/redactor.js';
import { counterRows, countSource, freshBlocks, freshFilter, idempotentRepeat, markAfter, mergeStream, writeResult, type SourceCounts, type StoredStream } from '../write-rules.js';

/** A per-minute traffic row: minute, wok, org ('' for none), key prefix ('' when the line named the org), total, failed. */
type Traffic = [number, string, string, string, number, number];

type KeyOwner = { org: string; user: string };

/**
 * What one batch gathers before it writes: failed requests with a code per
 * minute, code, org and wok (one upsert per key instead of one per request),
 * and the key owners the inventory named (asked once per key prefix; the
 * inventory cannot change inside the batch's transaction).
 */
interface BatchTallies {
  codeMinutes: Map<string, [number, string, string, string, number]>;
  owners: Map<string, KeyOwner | undefined>;
}

/** A streams row as read: the stored stream with `ahead` as stored (JSON, or null for none). */
type StreamRow = Omit<StoredStream, 'ahead'> & { id: number; ahead: string | null };

const STREAM_COLUMNS = 'id, path, dev, ino, offset, line, size, last_time AS lastTime, tail, events, unparsed, invalid_utf8 AS invalidUtf8, truncated, ahead';

export class BlockWriter {
  private readonly s;

  constructor(
    private readonly db: Db,
    private readonly cids: CidIndex,
    /** Redacts the lines of a block prepared again (freshBlocks). */
    private readonly redactor: Redactor,
  ) {
    this.s = {
      getStream: db.prepare(`SELECT ${STREAM_COLUMNS} FROM streams WHERE key = ?`),
      newStream: db.prepare(
        `INSERT INTO streams (key, kind, path, source, container_id, updated_at) VALUES (@key, @kind, @path, @source, @container, @now) RETURNING ${STREAM_COLUMNS}`,
      ),
      checkpoint: db.prepare(`UPDATE streams SET path = @path, dev = @dev, ino = @ino, offset = @offset, line = @line, size = @size, last_time = @lastTime,
        events = @events, unparsed = @unparsed, invalid_utf8 = @invalidUtf8, truncated = @truncated, tail = @tail, ahead = @ahead, updated_at = @now WHERE id = @id`),
      block: db.prepare(
        'INSERT OR IGNORE INTO blocks (stream, off0, off1, t0, t1, source, wok, container, n, notable, data, summary) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      failure: db.prepare(
        'INSERT INTO failures (cid, time, method, path, status, code, org, user, key_prefix, wok, duration_ms, message, blk) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      codeMinute: db.prepare('INSERT INTO code_minutes (minute, code, org, wok, n) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET n = n + excluded.n'),
      traffic: db.prepare(
        'INSERT INTO traffic (minute, wok, org, key_prefix, total, failed) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET total = total + excluded.total, failed = failed + excluded.failed',
      ),
      keyOwner: db.prepare(`SELECT org, user FROM inv_keys WHERE prefix = ? ORDER BY ${keyOwnerOrder()} LIMIT 1`),
      counter: db.prepare('INSERT INTO counters (source, events) VALUES (?, ?) ON CONFLICT(source) DO UPDATE SET events = events + excluded.events'),
      unparsed: db.prepare('INSERT OR IGNORE INTO unparsed (stream, offset, line, reason, head, time) VALUES (?, ?, ?, ?, ?, ?)'),
      container: db.prepare(`INSERT INTO containers (id, name, wok, role, image, first_seen, last_seen) VALUES (@id, @name, @wok, @role, @image, @t0, @t1)
        ON CONFLICT(id) DO UPDATE SET name = COALESCE(excluded.name, name), wok = COALESCE(excluded.wok, wok), role = COALESCE(excluded.role, role),
        image = COALESCE(excluded.image, image), first_seen = MIN(first_seen, excluded.first_seen), last_seen = MAX(last_seen, excluded.last_seen)`),
      lifecycle: db.prepare('INSERT INTO lifecycle (event_id, container_id, wok, time, state, message, blk) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      change: db.prepare('INSERT INTO wok_changes (event_id, time, cid, actor, org, wok, action, outcome, blk) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)'),
      idemGet: db.prepare('SELECT digest, result FROM idempotency WHERE key = ?'),
      fence: db.prepare(FENCE_SQL),
      idemPut: db.prepare('INSERT INTO idempotency (key, digest, result, created_at) VALUES (?, ?, ?, ?)'),
    };
  }

  write(batch: PreparedBatch): WriteResult {
    try {
      return this.db.transaction(() => this.writeInTransaction(batch)).immediate();
    } catch (e) {
      throw mapSqliteError(e, 'writing a batch');
    }
  }

  private writeInTransaction(batch: PreparedBatch): WriteResult {
    if (batch.fence) checkFence(this.s.fence, batch.fence);
    if (batch.idempotency) {
      const prior = this.s.idemGet.get(batch.idempotency.key) as { digest: string; result: string } | undefined;
      const repeat = idempotentRepeat(batch.idempotency, prior);
      if (repeat) return repeat;
    }
    const cidEntries: [string, number][] = [];
    const traffic = new Map<string, Traffic>();
    const w: BatchTallies = { codeMinutes: new Map(), owners: new Map() };
    const counts: SourceCounts = {};
    let events = 0;
    let unparsed = 0;
    let offered = 0;
    let t1 = 0;
    let oldest = Number.POSITIVE_INFINITY;
    const now = Date.now();
    for (const sb of batch.streams) {
      const { id, ...row } = this.stream(sb, now);
      const fresh = freshFilter(row);
      const keptUnparsed = sb.unparsed.filter((u) => fresh(u.offset));
      const blocks = freshBlocks(sb, fresh, this.redactor);
      offered += sb.unparsed.length + sb.blocks.reduce((n, b) => n + b.offsets.length, 0);
      let streamEvents = 0;
      const kept: number[][] = [keptUnparsed.map((u) => u.offset)];
      for (const block of blocks) {
        const blk = this.writeBlock(id, block, cidEntries, traffic, w);
        if (blk === null) continue;
        const n = block.offsets.length;
        streamEvents += n;
        kept.push(block.offsets);
        countSource(counts, block.source, n);
        t1 = Math.max(t1, block.t1);
        oldest = Math.min(oldest, block.t1);
      }
      events += streamEvents;
      for (const u of keptUnparsed) unparsed += this.s.unparsed.run(id, u.offset, u.line, u.reason, u.head, u.time).changes;
      const cp = sb.checkpoint;
      const next = mergeStream(row, { path: sb.stream.path, checkpoint: cp, events: streamEvents, unparsed: keptUnparsed.length, ahead: markAfter(row, cp, kept).ahead });
      this.s.checkpoint.run({ ...next, id, ahead: next.ahead.length ? JSON.stringify(next.ahead) : null, now });
    }
    this.cids.addSegment(cidEntries, t1, oldest);
    for (const [minute, wok, org, keyPrefix, total, failed] of traffic.values()) this.s.traffic.run(minute, wok, org, keyPrefix, total, failed);
    for (const [minute, code, org, wok, n] of w.codeMinutes.values()) this.s.codeMinute.run(minute, code, org, wok, n);
    for (const [source, n] of counterRows(counts)) this.s.counter.run(source, n);
    const result = writeResult(offered, events, unparsed);
    if (batch.idempotency) this.s.idemPut.run(batch.idempotency.key, batch.idempotency.digest, JSON.stringify(result), now);
    return result;
  }

  /** The stream's row, created on its first write; `ahead` parsed. */
  private stream(sb: PreparedStream, now: number): StoredStream & { id: number } {
    const got = (this.s.getStream.get(sb.stream.key) ??
      this.s.newStream.get({
        key: sb.stream.key,
        kind: sb.stream.kind,
        path: sb.stream.path,
        source: sb.stream.source,
        container: sb.stream.container?.id ?? null,
        now,
      })) as StreamRow;
    return { ...got, ahead: got.ahead ? (JSON.parse(got.ahead) as number[]) : [] };
  }

  /** Stores one block; returns its id, or null if the same block was stored before. */
  private writeBlock(stream: number, block: PreparedBlock, cidEntries: [string, number][], traffic: Map<string, Traffic>, w: BatchTallies): number | null {
    const { container, offsets } = block;
    if (!Number.isFinite(block.t0) || !Number.isFinite(block.t1)) throw new StoreError('an event has no valid time; the batch is refused', 'other');
    const info = this.s.block.run(
      stream,
      offsets[0],
      offsets[offsets.length - 1],
      block.t0,
      block.t1,
      block.source,
      container ? container.wok : null,
      container ? JSON.stringify(container) : null,
      offsets.length,
      block.notable,
      block.packed,
      block.summary,
    );
    if (info.changes === 0) return null;
    const id = Number(info.lastInsertRowid);
    for (const cid of block.cids) cidEntries.push([cid, id]);
    for (const r of block.failures) this.writeFailure(r, id, w);
    for (const [minute, wok, org, keyPrefix, total, failed] of block.traffic) {
      // The key prefix stays beside an org the line did not name, so a later inventory can name it (inventory-tables.ts).
      const who = org || (keyPrefix ? (this.owner(keyPrefix, w)?.org ?? '') : '');
      const k = `${minute}\u0000${wok}\u0000${who}\u0000${keyPrefix}`;
      const t = traffic.get(k);
      if (t) {
        t[4] += total;
        t[5] += failed;
      } else traffic.set(k, [minute, wok, who, keyPrefix, total, failed]);
    }
    for (const l of block.lifecycle) this.s.lifecycle.run(l.eventId, l.containerId, l.wok, l.time, l.state, l.message, id);
    for (const a of block.changes) this.s.change.run(a.eventId, a.time, a.cid, a.actor, a.org, a.wok, a.action, a.outcome, id);
    if (container) this.s.container.run({ ...container, t0: block.t0, t1: block.t1 });
    return id;
  }

  /** The owner of a key prefix by the inventory (a live key before a revoked one), or undefined; asked once per batch. */
  private owner(keyPrefix: string, w: BatchTallies): KeyOwner | undefined {
    if (w.owners.has(keyPrefix)) return w.owners.get(keyPrefix);
    const owner = this.s.keyOwner.get(keyPrefix) as KeyOwner | undefined;
    w.owners.set(keyPrefix, owner);
    return owner;
  }

  private writeFailure(r: RequestSummary, blk: number, w: BatchTallies): void {
    let { org, user } = r;
    if ((org === null || user === null) && r.keyPrefix) {
      const owner = this.owner(r.keyPrefix, w);
      if (owner) {
        org ??= owner.org;
        user ??= owner.user;
      }
    }
    this.s.failure.run(r.cid, r.time, r.method, r.path, r.status, r.code, org, user, r.keyPrefix, r.wok, r.durationMs, r.message, blk);
    if (r.code) {
      const minute = Math.floor(r.time / 60_000);
      const k = `${minute}\u0000${r.code}\u0000${org ?? ''}\u0000${r.wok ?? ''}`;
      const c = w.codeMinutes.get(k);
      if (c) c[4]++;
      else w.codeMinutes.set(k, [minute, r.code, org ?? '', r.wok ?? '', 1]);
    }
  }
}
