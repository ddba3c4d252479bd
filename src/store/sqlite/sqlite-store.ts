/**
 * The SQLite Store: one file, WAL, better-sqlite3. Reads are short indexed
 * lookups safe on a request path; writes (writeBatch, prune, compaction) are
 * meant for an ingest worker with its own connection.
 */
import type { ApiToken, Operator, Session, TokenScope } from '../../model/access.js';
import type { AuditRecord, LifecycleRecord } from '../../model/activity.js';
import type { ContainerRef, Event, Source, Unparsed } from '../../model/event.js';
import type { CheckRecord } from '../../model/health.js';
import { SOURCES } from '../../model/event.js';
import type { Inventory, InventoryKey, InventoryWok } from '../../model/inventory.js';
import type { RequestSummary } from '../../model/request.js';
import type { Checkpoint, StreamState } from '../../model/stream.js';
import { decodeEvent, isNotable } from '../event-codec.js';
import { compareEvents } from '../event-order.js';
import { decodeCursor, encodeCursor } from '../cursor.js';
import type {
  CodeCount,
  ContainerInfo,
  ContextFilter,
  Page,
  RequestCounts,
  SearchFilter,
  Stats,
  Store,
  WindowFilter,
  WriteBatch,
  WriteResult,
} from '../store.js';
import { AccessTables } from './access-tables.js';
import { ActivityQueries } from './activity-queries.js';
import { RequestQueries } from './request-queries.js';
import { BlockWriter } from './block-writer.js';
import { BLOCK_SPAN_MS, prepareBatch, type PreparedBatch } from './prepare-blocks.js';
import { CidIndex } from './cid-index.js';
import { InventoryTables } from './inventory-tables.js';
import { mapSqliteError, openDatabase, type Db, type OpenOptions } from './open-database.js';

interface BlockRow {
  id: number;
  key: string;
  source: Source;
  container: string | null;
  data: string;
}

const PRUNE_CHUNK = 500;

export class SqliteStore implements Store {
  readonly db: Db;
  private readonly cids: CidIndex;
  private readonly writer: BlockWriter;
  private readonly inv: InventoryTables;
  private readonly access: AccessTables;
  private readonly activity: ActivityQueries;
  private readonly requests: RequestQueries;
  private readonly blocksById;
  private readonly containerCache = new Map<string, ContainerRef>();

  constructor(readonly file: string, opts: OpenOptions = {}) {
    this.db = openDatabase(file, opts);
    this.cids = new CidIndex(this.db);
    this.writer = new BlockWriter(this.db, this.cids);
    this.inv = new InventoryTables(this.db);
    this.access = new AccessTables(this.db);
    this.activity = new ActivityQueries(this.db);
    this.requests = new RequestQueries(this.db);
    this.blocksById = this.db.prepare(
      'SELECT b.id, s.key, b.source, b.container, b.data FROM blocks b JOIN streams s ON s.id = b.stream WHERE b.id = ?',
    );
  }

  async writeBatch(batch: WriteBatch): Promise<WriteResult> {
    return this.writePrepared(prepareBatch(batch));
  }

  /**
   * Writes a batch already turned into blocks (prepare-blocks.ts), as bulk
   * ingest does in its parser threads: this thread then only runs SQL.
   */
  async writePrepared(batch: PreparedBatch): Promise<WriteResult> {
    const result = this.writer.write(batch);
    try {
      this.cids.compactSmall();
    } catch {
      // Upkeep in its own transaction after the batch committed: if the file is busy, the next write merges.
    }
    return result;
  }

  async checkpoint(streamKey: string): Promise<Checkpoint | null> {
    const r = this.db.prepare('SELECT * FROM streams WHERE key = ?').get(streamKey) as Record<string, unknown> | undefined;
    return r ? streamState(r) : null;
  }

  async eventsByCid(cid: string): Promise<Event[]> {
    const out: Event[] = [];
    for (const blk of this.cids.blocksFor(cid)) {
      const row = this.blocksById.get(blk) as BlockRow | undefined;
      if (!row) continue;
      for (const line of row.data.split('\n')) {
        if (!line.includes(cid)) continue;
        const e = this.decode(line, row);
        if (e.cid === cid) out.push(e);
      }
    }
    return out.sort(compareEvents);
  }

  async containerEvents(f: ContextFilter): Promise<Event[]> {
    // Newest blocks first; a block holds no line later than t0 + BLOCK_SPAN_MS, which bounds the scan.
    const rows = this.db
      .prepare(
        `SELECT b.id, s.key, b.source, b.container, b.data, b.t0 + ${BLOCK_SPAN_MS} AS bound FROM blocks b JOIN streams s ON s.id = b.stream
         WHERE b.wok = ? AND b.t0 >= ? AND b.t0 <= ? AND b.t1 >= ? ${f.notable ? 'AND b.notable > 0' : ''} ORDER BY b.t0 DESC`,
      )
      .iterate(f.wok, f.from - BLOCK_SPAN_MS, f.to, f.from) as IterableIterator<BlockRow & { bound: number }>;
    return newestEvents(rows, f.limit, (row) => {
      const out: Event[] = [];
      for (const line of row.data.split('\n')) {
        const e = this.decode(line, row);
        if (e.time < f.from || e.time > f.to) continue;
        if (f.notable && !isNotable(e)) continue;
        out.push(e);
      }
      return out;
    });
  }

  async search(f: SearchFilter, cursor?: string | null): Promise<Page<RequestSummary>> {
    return this.requests.search(f, cursor);
  }

  async codeCounts(f: { from: number; to: number; wok?: string; org?: string }): Promise<CodeCount[]> {
    return this.requests.codeCounts(f);
  }

  async unparsed(cursor?: string | null, limit = 100): Promise<Page<Unparsed>> {
    const c = decodeCursor(cursor);
    const rows = this.db
      .prepare(
        `SELECT u.id, s.key AS stream, s.path, u.offset, u.line, u.reason, u.head, u.time FROM unparsed u JOIN streams s ON s.id = u.stream
         ${c ? 'WHERE u.id < ?' : ''} ORDER BY u.id DESC LIMIT ?`,
      )
      .all(...(c ? [c.id] : []), limit + 1) as (Unparsed & { id: number })[];
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(({ id: _id, ...u }) => u),
      next: rows.length > limit && last ? encodeCursor({ time: last.time, id: last.id }) : null,
    };
  }

  async stats(): Promise<Stats> {
    const events = Object.fromEntries(SOURCES.map((s) => [s, 0])) as Record<Source, number>;
    for (const r of this.db.prepare('SELECT source, events FROM counters').all() as { source: Source; events: number }[]) events[r.source] = r.events;
    const streams = (this.db.prepare('SELECT * FROM streams ORDER BY path, key').all() as Record<string, unknown>[]).map(streamState);
    return {
      events,
      unparsed: this.db.prepare('SELECT COUNT(*) FROM unparsed').pluck().get() as number,
      correlationIds: this.db.prepare('SELECT COUNT(*) FROM (SELECT DISTINCT cid FROM cidx)').pluck().get() as number,
      requests: this.requests.totalRequests(),
      streams,
    };
  }

  async putInventory(inv: Inventory) {
    return this.inv.put(inv);
  }

  async keysByPrefix(prefix: string): Promise<InventoryKey[]> {
    return this.inv.keysByPrefix(prefix);
  }

  async wok(id: string): Promise<InventoryWok | null> {
    return this.inv.wok(id);
  }

  async inventory(): Promise<Inventory> {
    return this.inv.all();
  }

  async requestCounts(f: WindowFilter): Promise<RequestCounts> {
    return this.requests.requestCounts(f);
  }

  async audits(f: WindowFilter): Promise<AuditRecord[]> {
    return this.requests.audits(f);
  }

  async lifecycle(f: WindowFilter): Promise<LifecycleRecord[]> {
    return this.activity.lifecycle(f);
  }

  async containers(wok: string): Promise<ContainerInfo[]> {
    return this.activity.containers(wok);
  }

  async containerTail(containerId: string, limit: number): Promise<Event[]> {
    // Blocks newest first, however small they are (follow mode writes a few lines at a time), until `limit` lines are certain.
    const rows = this.db
      .prepare(
        `SELECT b.id, s.key, b.source, b.container, b.data, b.t1 AS bound FROM blocks b JOIN streams s ON s.id = b.stream
         WHERE s.container_id = ? AND b.source = 'container' ORDER BY b.t1 DESC, b.id DESC`,
      )
      .iterate(containerId) as IterableIterator<BlockRow & { bound: number }>;
    return newestEvents(rows, limit, (row) => row.data.split('\n').map((line) => this.decode(line, row)));
  }

  async recordChecks(records: CheckRecord[]): Promise<void> {
    this.activity.recordChecks(records);
  }

  async checkHistory(f: { from: number; to: number; check?: string }): Promise<CheckRecord[]> {
    return this.activity.checkHistory(f);
  }

  async pruneChecks(before: number): Promise<number> {
    return this.activity.pruneChecks(before);
  }

  async addOperator(email: string, passwordHash: string): Promise<Operator> {
    return this.access.addOperator(email, passwordHash);
  }

  async operatorByEmail(email: string): Promise<Operator | null> {
    return this.access.operatorByEmail(email);
  }

  async operatorById(id: number): Promise<Operator | null> {
    return this.access.operatorById(id);
  }

  async listOperators(): Promise<Operator[]> {
    return this.access.listOperators();
  }

  async setOperatorDisabled(email: string, disabled: boolean): Promise<boolean> {
    return this.access.setOperatorDisabled(email, disabled);
  }

  async setOperatorPassword(email: string, passwordHash: string): Promise<boolean> {
    return this.access.setOperatorPassword(email, passwordHash);
  }

  async createSession(s: Session): Promise<void> {
    this.access.createSession(s);
  }

  async session(idHash: string, now: number): Promise<{ session: Session; operator: Operator } | null> {
    return this.access.session(idHash, now);
  }

  async deleteSession(idHash: string): Promise<void> {
    this.access.deleteSession(idHash);
  }

  async deleteSessionsOf(operatorId: number): Promise<void> {
    this.access.deleteSessionsOf(operatorId);
  }

  async createToken(t: { name: string; scope: TokenScope; hash: string; createdAt: number }): Promise<ApiToken> {
    return this.access.createToken(t);
  }

  async tokenByHash(hash: string): Promise<ApiToken | null> {
    return this.access.tokenByHash(hash);
  }

  async listTokens(): Promise<ApiToken[]> {
    return this.access.listTokens();
  }

  async revokeToken(name: string, now: number): Promise<boolean> {
    return this.access.revokeToken(name, now);
  }

  async touchToken(id: number, now: number): Promise<void> {
    this.access.touchToken(id, now);
  }

  async prune(before: number): Promise<number> {
    let removed = 0;
    try {
      const select = this.db.prepare('SELECT id, n FROM blocks WHERE t1 < ? ORDER BY id LIMIT ?');
      for (;;) {
        const chunk = select.all(before, PRUNE_CHUNK) as { id: number; n: number }[];
        if (!chunk.length) break;
        const ids = chunk.map((c) => c.id).join(',');
        this.db.transaction(() => {
          this.db
            .prepare(`UPDATE counters SET events = events - COALESCE((SELECT SUM(n) FROM blocks WHERE id IN (${ids}) AND blocks.source = counters.source), 0)`)
            .run();
          this.db.prepare(`DELETE FROM failures WHERE blk IN (${ids})`).run();
          this.db.prepare(`DELETE FROM lifecycle WHERE blk IN (${ids})`).run();
          this.db.prepare(`DELETE FROM blocks WHERE id IN (${ids})`).run();
        }).immediate();
        removed += chunk.reduce((n, c) => n + c.n, 0);
      }
      this.db.prepare('DELETE FROM traffic WHERE minute < ?').run(Math.floor(before / 60_000));
      this.db.prepare('DELETE FROM unparsed WHERE time < ?').run(before);
      this.db.prepare('DELETE FROM idempotency WHERE created_at < ?').run(before);
      this.db.prepare('DELETE FROM containers WHERE last_seen < ?').run(before);
      this.cids.dropBefore(before);
      this.cids.cleanBefore(before);
      this.db.pragma('wal_checkpoint(TRUNCATE)');
    } catch (e) {
      throw mapSqliteError(e, 'pruning');
    }
    return removed;
  }

  async close(): Promise<void> {
    if (this.db.open) {
      try {
        this.db.pragma('wal_checkpoint(PASSIVE)');
      } catch {
        // another connection may hold the lock; the next checkpoint will do
      }
      this.db.close();
    }
  }

  private decode(line: string, row: BlockRow): Event {
    return decodeEvent(line, { streamKey: row.key, source: row.source, container: this.container(row.container) });
  }

  private container(json: string | null): ContainerRef | null {
    if (!json) return null;
    let ref = this.containerCache.get(json);
    if (!ref) {
      ref = JSON.parse(json) as ContainerRef;
      if (this.containerCache.size > 1000) this.containerCache.clear();
      this.containerCache.set(json, ref);
    }
    return ref;
  }
}

/**
 * The newest `limit` events of rows read newest first, in time order. `bound`
 * is the latest time any event of a row (and of every row after it) can have:
 * once `limit` events later than that are held, no further row can matter.
 */
function newestEvents<R extends { bound: number }>(rows: IterableIterator<R>, limit: number, eventsOf: (row: R) => Event[]): Event[] {
  const n = Math.max(0, Math.floor(limit));
  let out: Event[] = [];
  if (n === 0) return out;
  for (const row of rows) {
    if (out.length >= n && row.bound < out[0]!.time) break;
    const got = eventsOf(row);
    if (!got.length) continue;
    out.push(...got);
    out.sort(compareEvents);
    if (out.length > n) out = out.slice(out.length - n);
  }
  return out;
}

function streamState(r: Record<string, unknown>): StreamState {
  return {
    stream: r.key as string,
    kind: r.kind as StreamState['kind'],
    path: (r.path as string | null) ?? null,
    source: (r.source as Source | null) ?? null,
    containerId: (r.container_id as string | null) ?? null,
    offset: r.offset as number,
    line: r.line as number,
    dev: (r.dev as number | null) ?? null,
    ino: (r.ino as number | null) ?? null,
    size: (r.size as number | null) ?? null,
    lastTime: (r.last_time as number | null) ?? null,
    unparsed: r.unparsed as number,
    invalidUtf8: r.invalid_utf8 as number,
    truncated: r.truncated as number,
    events: r.events as number,
    updatedAt: r.updated_at as number,
  };
}
