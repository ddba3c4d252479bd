/**
 * writeBatch for SQLite: one IMMEDIATE transaction per batch holding the
 * blocks, the cid-index segment, request summaries, unparsed lines, counters
 * and the streams' checkpoints — all or nothing. Lines at or before a stream's
 * committed checkpoint are dropped, so a re-read (a crash before the commit,
 * or two readers of one file) never doubles an event.
 */
import type { ContainerRef, Event, Source } from '../../model/event.js';
import { summarize } from '../../model/request.js';
import type { StreamBatch, WriteBatch, WriteResult } from '../store.js';
import { encodeEvent, isNotable, offsetOf } from '../event-codec.js';
import type { CidIndex } from './cid-index.js';
import { mapSqliteError, type Db } from './open-database.js';

/** A block closes at this many events, bytes of encoded lines, or milliseconds of time span. */
export const BLOCK_EVENTS = 512;
export const BLOCK_BYTES = 128 * 1024;
export const BLOCK_SPAN_MS = 15 * 60 * 1000;

interface StreamRow {
  id: number;
  offset: number;
  line: number;
  ahead: string | null;
}

export class BlockWriter {
  private readonly s;

  constructor(
    private readonly db: Db,
    private readonly cids: CidIndex,
  ) {
    this.s = {
      getStream: db.prepare('SELECT id, offset, line, ahead FROM streams WHERE key = ?'),
      newStream: db.prepare(
        'INSERT INTO streams (key, kind, path, source, container_id, updated_at) VALUES (@key, @kind, @path, @source, @container, @now) RETURNING id, offset, line, ahead',
      ),
      checkpoint: db.prepare(`UPDATE streams SET path = COALESCE(@path, path), dev = @dev, ino = @ino,
        offset = MAX(offset, @offset), line = MAX(line, @line), size = @size, last_time = MAX(COALESCE(last_time, 0), COALESCE(@lastTime, 0)),
        events = events + @events, unparsed = unparsed + @unparsed, invalid_utf8 = invalid_utf8 + @invalid, truncated = truncated + @truncated,
        ahead = @ahead, updated_at = @now WHERE id = @id`),
      block: db.prepare(
        'INSERT OR IGNORE INTO blocks (stream, off0, off1, t0, t1, source, wok, container, n, notable, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      request: db.prepare(
        'INSERT INTO requests (cid, time, method, path, status, code, org, user, key_prefix, wok, duration_ms, message, blk) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      keyOwner: db.prepare('SELECT org, user FROM inv_keys WHERE prefix = ? ORDER BY revoked_at IS NOT NULL LIMIT 1'),
      counter: db.prepare('INSERT INTO counters (source, events) VALUES (?, ?) ON CONFLICT(source) DO UPDATE SET events = events + excluded.events'),
      unparsed: db.prepare('INSERT OR IGNORE INTO unparsed (stream, offset, line, reason, head, time) VALUES (?, ?, ?, ?, ?, ?)'),
      container: db.prepare(`INSERT INTO containers (id, name, wok, role, image, first_seen, last_seen) VALUES (@id, @name, @wok, @role, @image, @t, @t)
        ON CONFLICT(id) DO UPDATE SET name = COALESCE(excluded.name, name), wok = COALESCE(excluded.wok, wok), role = COALESCE(excluded.role, role),
        image = COALESCE(excluded.image, image), first_seen = MIN(first_seen, excluded.first_seen), last_seen = MAX(last_seen, excluded.last_seen)`),
      audit: db.prepare('INSERT INTO audits (event_id, time, cid, actor, org, wok, action, outcome, blk) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)'),
      lifecycle: db.prepare('INSERT INTO lifecycle (event_id, container_id, wok, time, state, message, blk) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      idemGet: db.prepare('SELECT digest, result FROM idempotency WHERE key = ?'),
      idemPut: db.prepare('INSERT INTO idempotency (key, digest, result, created_at) VALUES (?, ?, ?, ?)'),
    };
  }

  write(batch: WriteBatch): WriteResult {
    try {
      return this.db.transaction(() => this.writeInTransaction(batch)).immediate();
    } catch (e) {
      throw mapSqliteError(e, 'writing a batch');
    }
  }

  private writeInTransaction(batch: WriteBatch): WriteResult {
    if (batch.idempotency) {
      const prior = this.s.idemGet.get(batch.idempotency.key) as { digest: string; result: string } | undefined;
      if (prior) {
        if (prior.digest !== batch.idempotency.digest) throw new IdempotencyConflict(batch.idempotency.key);
        return { ...(JSON.parse(prior.result) as WriteResult), duplicate: true };
      }
    }
    const cidEntries: [string, number][] = [];
    const counts: Partial<Record<Source, number>> = {};
    let events = 0;
    let unparsed = 0;
    let offered = 0;
    let t1 = 0;
    const now = Date.now();
    for (const sb of batch.streams) {
      const row = this.stream(sb, now);
      const fresh = freshFilter(row);
      const kept = sb.events.filter((e) => fresh(offsetOf(e.id)));
      const keptUnparsed = sb.unparsed.filter((u) => fresh(u.offset));
      offered += sb.events.length + sb.unparsed.length;
      let streamEvents = 0;
      for (const block of groupBlocks(kept)) {
        const id = this.writeBlock(row.id, block, cidEntries);
        if (id === null) continue;
        streamEvents += block.events.length;
        const source = block.events[0]!.source;
        counts[source] = (counts[source] ?? 0) + block.events.length;
        t1 = Math.max(t1, block.t1);
      }
      events += streamEvents;
      for (const u of keptUnparsed) unparsed += this.s.unparsed.run(row.id, u.offset, u.line, u.reason, u.head, u.time).changes;
      const cp = sb.checkpoint;
      const ahead = [...kept.map((e) => offsetOf(e.id)), ...keptUnparsed.map((u) => u.offset), ...parseAhead(row.ahead)].filter((o) => o >= Math.max(cp.offset, row.offset));
      this.s.checkpoint.run({
        id: row.id,
        path: sb.stream.path,
        dev: cp.dev,
        ino: cp.ino,
        offset: cp.offset,
        line: cp.line,
        size: cp.size,
        lastTime: cp.lastTime,
        events: streamEvents,
        unparsed: keptUnparsed.length,
        invalid: cp.invalidUtf8,
        truncated: cp.truncated,
        ahead: ahead.length ? JSON.stringify([...new Set(ahead)].sort((a, b) => a - b)) : null,
        now,
      });
    }
    this.cids.addSegment(cidEntries, t1);
    for (const [source, n] of Object.entries(counts)) this.s.counter.run(source, n);
    const result: WriteResult = { events, unparsed, duplicate: offered > 0 && events + unparsed === 0 };
    if (batch.idempotency) this.s.idemPut.run(batch.idempotency.key, batch.idempotency.digest, JSON.stringify(result), now);
    return result;
  }

  private stream(sb: StreamBatch, now: number): StreamRow {
    const got = this.s.getStream.get(sb.stream.key) as StreamRow | undefined;
    if (got) return got;
    return this.s.newStream.get({
      key: sb.stream.key,
      kind: sb.stream.kind,
      path: sb.stream.path,
      source: sb.stream.source,
      container: sb.stream.container?.id ?? null,
      now,
    }) as StreamRow;
  }

  /** Stores one block; returns its id, or null if the same block was stored before. */
  private writeBlock(stream: number, block: Block, cidEntries: [string, number][]): number | null {
    const { events } = block;
    const first = events[0]!;
    const container: ContainerRef | null = first.source === 'container' ? first.container : null;
    const info = this.s.block.run(
      stream,
      offsetOf(first.id),
      offsetOf(events[events.length - 1]!.id),
      block.t0,
      block.t1,
      first.source,
      container ? container.wok : null,
      container ? JSON.stringify(container) : null,
      events.length,
      block.notable,
      block.lines.join('\n'),
    );
    if (info.changes === 0) return null;
    const id = Number(info.lastInsertRowid);
    const seen = new Set<string>();
    for (const e of events) {
      if (e.cid && !seen.has(e.cid)) {
        seen.add(e.cid);
        cidEntries.push([e.cid, id]);
      }
      if (e.source === 'cp' && e.http) this.writeRequest(e, id);
      else if (e.source === 'audit') this.s.audit.run(e.id, e.time, e.cid, e.actor, e.org, e.wok, e.action, e.outcome, id);
      else if (e.source === 'container' && e.lifecycle) this.s.lifecycle.run(e.id, e.container.id, e.container.wok ?? e.wok, e.time, e.lifecycle, e.message.slice(0, 500), id);
    }
    if (container) this.s.container.run({ ...container, t: block.t1 });
    return id;
  }

  private writeRequest(e: Extract<Event, { source: 'cp' }>, blk: number): void {
    const r = summarize(e);
    if (!r) return;
    if ((r.org === null || r.user === null) && r.keyPrefix) {
      const owner = this.s.keyOwner.get(r.keyPrefix) as { org: string; user: string } | undefined;
      if (owner) {
        r.org ??= owner.org;
        r.user ??= owner.user;
      }
    }
    this.s.request.run(r.cid, r.time, r.method, r.path, r.status, r.code, r.org, r.user, r.keyPrefix, r.wok, r.durationMs, r.message, blk);
  }
}

export class IdempotencyConflict extends Error {
  override name = 'IdempotencyConflict';
  constructor(readonly key: string) {
    super(`Idempotency-Key ${key} was used before for a different body`);
  }
}

function parseAhead(s: string | null): number[] {
  return s ? (JSON.parse(s) as number[]) : [];
}

/** Which offsets of a stream are new: past its checkpoint and not among the lines already stored beyond it. */
function freshFilter(row: StreamRow): (offset: number) => boolean {
  const ahead = new Set(parseAhead(row.ahead));
  return (offset) => offset >= row.offset && !ahead.has(offset);
}

export interface Block {
  events: Event[];
  lines: string[];
  t0: number;
  t1: number;
  notable: number;
}

function blockKey(e: Event): string {
  return e.source === 'container' ? `c\u0000${e.container.id}\u0000${e.container.wok}\u0000${e.container.role}` : e.source;
}

/** Splits a stream's events into blocks: one source and container each, bounded in count, encoded bytes and time span. */
export function* groupBlocks(events: Event[]): Generator<Block> {
  let cur: Block | null = null;
  let bytes = 0;
  let key = '';
  for (const e of events) {
    const line = encodeEvent(e);
    const k = blockKey(e);
    if (cur && (k !== key || cur.events.length >= BLOCK_EVENTS || bytes + line.length > BLOCK_BYTES || Math.max(cur.t1, e.time) - Math.min(cur.t0, e.time) > BLOCK_SPAN_MS)) {
      yield cur;
      cur = null;
    }
    if (!cur) {
      cur = { events: [], lines: [], t0: e.time, t1: e.time, notable: 0 };
      key = k;
      bytes = 0;
    }
    cur.events.push(e);
    cur.lines.push(line);
    bytes += line.length + 1;
    if (e.time < cur.t0) cur.t0 = e.time;
    if (e.time > cur.t1) cur.t1 = e.time;
    if (isNotable(e)) cur.notable++;
  }
  if (cur) yield cur;
}
