/**
 * Event reads on SQLite: by correlation id (through the cid index), a wok's
 * container lines in a window, one container's tail, unparsed lines, and the
 * streams' checkpoints and counts. Events live in blocks (one row per ≤512
 * encoded lines of one stream, packed); these reads find the blocks, unpack
 * them, then decode only the lines they need.
 */
import type { ContainerRef, Event, Source, Unparsed } from '../../model/event.js';
import { SOURCES } from '../../model/event.js';
import type { Checkpoint, StreamState } from '../../model/stream.js';
import { decodeCursor, encodeCursor } from '../cursor.js';
import { streamFromRow } from '../row-mappers.js';
import { linesWithCids, storedLines, windowEvents, type StoredLines } from '../block-codec.js';
import { decodeEvent } from '../event-codec.js';
import { compareEvents, newestEvents } from '../event-order.js';
import type { ContextFilter, Page, Stats } from '../store.js';
import type { CidIndex } from './cid-index.js';
import { BLOCK_SPAN_MS } from '../prepared-batch.js';
import type { Statements } from './statements.js';

interface BlockRow {
  id: number;
  key: string;
  source: Source;
  container: string | null;
  /** The block's lines as stored: packed, or text written before blocks were packed (block-codec.ts). */
  data: StoredLines;
}

const BLOCK_BY_ID = 'SELECT b.id, s.key, b.source, b.container, b.data FROM blocks b JOIN streams s ON s.id = b.stream WHERE b.id = ?';
/** Streams listed by path (NULL first), then key: the order stats and streams() promise. */
const ALL_STREAMS = 'SELECT * FROM streams ORDER BY path, key';

export class EventReads {
  private readonly containerCache = new Map<string, ContainerRef>();

  constructor(
    private readonly st: Statements,
    private readonly cids: CidIndex,
  ) {}

  checkpoint(streamKey: string): Checkpoint | null {
    const r = this.st.stmt('SELECT * FROM streams WHERE key = ?').get(streamKey) as Record<string, unknown> | undefined;
    return r ? streamFromRow(r) : null;
  }

  /** Every stream's checkpoint and counters: one scan of the (small) streams table. */
  streams(): StreamState[] {
    return (this.st.stmt(ALL_STREAMS).all() as Record<string, unknown>[]).map(streamFromRow);
  }

  eventsByCid(cid: string): Event[] {
    return this.eventsByCids([cid]).get(cid)!;
  }

  /**
   * eventsByCid for many ids: the blocks of all of them read once (a page of
   * requests shares most of its blocks), each line's id read from its place
   * in the encoded line before anything is decoded.
   */
  eventsByCids(cids: readonly string[]): Map<string, Event[]> {
    const out = new Map<string, Event[]>(cids.map((c) => [c, []]));
    const wanted: ReadonlySet<string> = new Set(out.keys());
    const blocks = new Set<number>();
    for (const cid of out.keys()) for (const blk of this.cids.blocksFor(cid)) blocks.add(blk);
    const byId = this.st.stmt(BLOCK_BY_ID);
    for (const blk of [...blocks].sort((a, b) => a - b)) {
      const row = byId.get(blk) as BlockRow | undefined;
      if (!row) continue;
      for (const line of linesWithCids(row.data, wanted)) {
        const e = this.decode(line, row);
        if (e.cid !== null) out.get(e.cid)?.push(e);
      }
    }
    for (const list of out.values()) list.sort(compareEvents);
    return out;
  }

  containerEvents(f: ContextFilter): Event[] {
    // Newest blocks first; a block holds no line later than t0 + BLOCK_SPAN_MS, which bounds the scan.
    const rows = this.st
      .stmt(
        `SELECT b.id, s.key, b.source, b.container, b.data, b.t0 + ${BLOCK_SPAN_MS} AS bound FROM blocks b JOIN streams s ON s.id = b.stream
         WHERE b.wok = ? AND b.t0 >= ? AND b.t0 <= ? AND b.t1 >= ? ${f.notable ? 'AND b.notable > 0' : ''} ORDER BY b.t0 DESC`,
      )
      .iterate(f.wok, f.from - BLOCK_SPAN_MS, f.to, f.from) as IterableIterator<BlockRow & { bound: number }>;
    return newestEvents(rows, f.limit, (row) => windowEvents(row.data, f, (line) => this.decode(line, row)));
  }

  containerTail(containerId: string, limit: number): Event[] {
    // Blocks newest first, however small they are (follow mode writes a few lines at a time), until `limit` lines are certain.
    const rows = this.st
      .stmt(
        `SELECT b.id, s.key, b.source, b.container, b.data, b.t1 AS bound FROM blocks b JOIN streams s ON s.id = b.stream
         WHERE s.container_id = ? AND b.source = 'container' ORDER BY b.t1 DESC, b.id DESC`,
      )
      .iterate(containerId) as IterableIterator<BlockRow & { bound: number }>;
    return newestEvents(rows, limit, (row) => storedLines(row.data).map((line) => this.decode(line, row)));
  }

  unparsed(cursor?: string | null, limit = 100): Page<Unparsed> {
    const c = decodeCursor(cursor);
    const rows = this.st
      .stmt(
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

  /** Stats but the request total (which lives with the request tables). Counting distinct ids scans the whole cid index. */
  stats(): Omit<Stats, 'requests' | 'correlationIds'> {
    const events = Object.fromEntries(SOURCES.map((s) => [s, 0])) as Record<Source, number>;
    for (const r of this.st.stmt('SELECT source, events FROM counters').all() as { source: Source; events: number }[]) events[r.source] = r.events;
    return {
      events,
      unparsed: this.st.pluck('SELECT COUNT(*) FROM unparsed').get() as number,
      streams: this.streams(),
    };
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
