/**
 * Event reads on PostgreSQL: by correlation id, container windows and tails,
 * request search, counts, unparsed, streams, stats. Events live in blocks
 * (pg-blocks.ts): these reads find the blocks by index (block_cids for a
 * ticket), unpack them, then decode only the lines they need, as on SQLite.
 */
import type { Event, Source, Unparsed } from '../../model/event.js';
import { SOURCES } from '../../model/event.js';
import type { RequestSummary } from '../../model/request.js';
import type { Checkpoint, StreamState } from '../../model/stream.js';
import { decodeCursor, encodeCursor } from '../cursor.js';
import { searchWhere, windowWhere } from '../sql-where.js';
import { requestFromRow, streamFromRow, type RequestRow } from '../row-mappers.js';
import { linesWithCids, storedLines, windowEvents } from '../block-codec.js';
import { decodeEvent } from '../event-codec.js';
import { compareEvents, NewestEvents } from '../event-order.js';
import { BLOCK_SPAN_MS } from '../prepared-batch.js';
import { BLOCK_READ } from './pg-blocks.js';
import type { CodeCount, ContextFilter, Page, SearchFilter, Stats } from '../store.js';
import type { RefCache } from './pg-refs.js';

/**
 * How the store runs one statement: after migrations, errors mapped. A
 * statement given a name is prepared once on each pool connection and then
 * only bound and run (for the few of constant text run on every lookup).
 */
export type Query = <T extends object>(sql: string, params?: unknown[], name?: string) => Promise<T[]>;

/** A block as reads decode it: its stream's key, source, container ref (JSON) and packed lines. */
export interface BlockRow {
  key: string;
  source: number;
  ref: string | null;
  data: Buffer;
}

/** Blocks read newest first this many at a time, until the lines wanted are certain. */
const PAGE = 16;

const ALL_STREAMS = 'SELECT * FROM streams ORDER BY path NULLS FIRST, key';

/** PostgreSQL names the offset column off (offset is reserved there). */
export function streamState(r: Record<string, unknown>): StreamState {
  return streamFromRow({ ...r, offset: r.off });
}

/** …and the user column user_name. */
type PgRequestRow = Omit<RequestRow, 'user'> & { user_name: string | null };

function requestSummary(r: PgRequestRow): RequestSummary {
  return requestFromRow({ ...r, user: r.user_name });
}

export class PgEventReads {
  constructor(
    private readonly q: Query,
    private readonly refs: RefCache,
  ) {}

  async checkpoint(streamKey: string): Promise<Checkpoint | null> {
    const [r] = await this.q<Record<string, unknown>>('SELECT * FROM streams WHERE key = $1', [streamKey]);
    return r ? streamState(r) : null;
  }

  async eventsByCid(cid: string): Promise<Event[]> {
    return (await this.eventsByCids([cid])).get(cid)!;
  }

  /**
   * The blocks of all the ids read at once (a page of requests shares most
   * of its blocks), each line's id read from its place in the encoded line
   * before anything is decoded.
   */
  async eventsByCids(cids: readonly string[]): Promise<Map<string, Event[]>> {
    const out = new Map<string, Event[]>(cids.map((c) => [c, []]));
    const wanted: ReadonlySet<string> = new Set(out.keys());
    if (cids.length === 0) return out;
    // The ids' blocks by the cid index, then each block by its key (a nested loop whatever the statistics say:
    // each probe reads one partition's key index, its day known from t0; OFFSET 0 keeps the planner from flattening it).
    // Named: every ticket starts here, and its plan would otherwise be made again each time, over every day's partitions.
    const rows = await this.q<BlockRow>(
      `SELECT s.key, b.source, r.ref, b.data FROM (SELECT DISTINCT stream, off0, t0 FROM block_cids WHERE cid = ANY($1::text[])) k
       CROSS JOIN LATERAL (SELECT * FROM blocks b WHERE b.stream = k.stream AND b.off0 = k.off0 AND b.t0 = k.t0 OFFSET 0) b
       JOIN streams s ON s.id = b.stream LEFT JOIN container_refs r ON r.id = b.ref`,
      [[...out.keys()]],
      'events_by_cids',
    );
    for (const row of rows) {
      for (const line of linesWithCids(row.data, wanted)) {
        const e = this.decode(line, row);
        if (e.cid !== null) out.get(e.cid)?.push(e);
      }
    }
    for (const list of out.values()) list.sort(compareEvents);
    return out;
  }

  /** The newest `limit` lines in the window, returned in time order (as SQLite keeps them). */
  async containerEvents(f: ContextFilter): Promise<Event[]> {
    // Newest blocks first; a block holds no line later than t0 + BLOCK_SPAN_MS, which bounds the scan.
    const acc = new NewestEvents<BlockRow & { bound: number }>(f.limit, (row) => windowEvents(row.data, f, (line) => this.decode(line, row)));
    await this.newestFirst(
      acc,
      `SELECT b.t0 + ${BLOCK_SPAN_MS} AS bound, ${BLOCK_READ} WHERE b.wok = $1 AND b.source = 1 AND b.t0 >= $2 AND b.t0 <= $3 AND b.t1 >= $4
       ${f.notable ? 'AND b.notable > 0' : ''} ORDER BY b.t0 DESC, b.stream DESC, b.off0 DESC`,
      [f.wok, f.from - BLOCK_SPAN_MS, f.to, f.from],
    );
    return acc.events();
  }

  async containerTail(containerId: string, limit: number): Promise<Event[]> {
    // Blocks newest first, however small they are (follow mode writes a few lines at a time), until `limit` lines are certain.
    const acc = new NewestEvents<BlockRow & { bound: number }>(limit, (row) => storedLines(row.data).map((line) => this.decode(line, row)));
    await this.newestFirst(
      acc,
      `SELECT b.t1 AS bound, ${BLOCK_READ} WHERE b.ref IN (SELECT id FROM container_refs WHERE container_id = $1) AND b.source = 1
       ORDER BY b.t1 DESC, b.stream DESC, b.off0 DESC`,
      [containerId],
    );
    return acc.events();
  }

  /** Offers the blocks a query reads (newest first), PAGE at a time, until the gatherer needs no more. */
  private async newestFirst(acc: NewestEvents<BlockRow & { bound: number }>, sql: string, args: unknown[]): Promise<void> {
    for (let at = 0; ; at += PAGE) {
      const rows = await this.q<BlockRow & { bound: number }>(`${sql} LIMIT ${PAGE} OFFSET ${at}`, args);
      for (const row of rows) if (!acc.offer(row)) return;
      if (rows.length < PAGE) return;
    }
  }

  async search(f: SearchFilter, cursor?: string | null): Promise<Page<RequestSummary>> {
    const limit = Math.min(Math.max(f.limit ?? 50, 1), 500);
    const w = searchWhere('postgres', f, decodeCursor(cursor));
    const rows = await this.q<PgRequestRow>(`SELECT * FROM requests ${w.clause} ORDER BY time DESC, id DESC LIMIT ${w.arg(limit + 1)}`, w.args);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { items: page.map(requestSummary), next: rows.length > limit && last ? encodeCursor({ time: last.time, id: last.id }) : null };
  }

  async codeCounts(f: { from: number; to: number; wok?: string; org?: string }): Promise<CodeCount[]> {
    const w = windowWhere('postgres', f).add('code IS NOT NULL');
    // The sample is the newest request of the code within the same filter, as in the SQLite store.
    return this.q<CodeCount>(
      `SELECT code, count, "lastSeen", "sampleCid" FROM (
         SELECT code, count(*) OVER (PARTITION BY code) AS count, max(time) OVER (PARTITION BY code) AS "lastSeen", cid AS "sampleCid",
                row_number() OVER (PARTITION BY code ORDER BY time DESC, id DESC) AS rn
         FROM requests WHERE ${w.sql}
       ) x WHERE rn = 1 ORDER BY count DESC, code`,
      w.args,
    );
  }

  async unparsed(cursor?: string | null, limit = 100): Promise<Page<Unparsed>> {
    const c = decodeCursor(cursor);
    const rows = await this.q<Omit<Unparsed, 'head'> & { id: number; head: Buffer }>(
      `SELECT u.id, s.key AS stream, s.path, u.off AS "offset", u.line, u.reason, u.head, u.time FROM unparsed u JOIN streams s ON s.id = u.stream
       ${c ? 'WHERE u.id < $2' : ''} ORDER BY u.id DESC LIMIT $1`,
      c ? [limit + 1, c.id] : [limit + 1],
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(({ id: _id, head, ...u }) => ({ ...u, head: head.toString('utf8') })),
      next: rows.length > limit && last ? encodeCursor({ time: last.time, id: last.id }) : null,
    };
  }

  /** Listed as stats() lists them: by path (NULL first, as SQLite sorts it), then key. */
  async streams(): Promise<StreamState[]> {
    return (await this.q<Record<string, unknown>>(ALL_STREAMS)).map(streamState);
  }

  async stats(): Promise<Stats> {
    const events = Object.fromEntries(SOURCES.map((s) => [s, 0])) as Record<Source, number>;
    for (const r of await this.q<{ source: Source; events: number }>('SELECT source, events FROM counters')) events[r.source] = r.events;
    const [n] = await this.q<{ unparsed: number; cids: number; requests: number }>(
      `SELECT (SELECT count(*) FROM unparsed) AS unparsed, (SELECT count(DISTINCT cid) FROM block_cids) AS cids,
              (SELECT count(*) FROM requests) AS requests`,
    );
    const streams = await this.streams();
    return { events, unparsed: n!.unparsed, correlationIds: n!.cids, requests: n!.requests, streams };
  }

  private decode(line: string, r: BlockRow): Event {
    return decodeEvent(line, { streamKey: r.key, source: SOURCES[r.source]!, container: this.refs.parse(r.ref) });
  }
}
