/** Event reads on PostgreSQL: by correlation id, container windows and tails, request search, counts, unparsed, streams, stats. */
import type { Event, Source, Unparsed } from '../../model/event.js';
import { SOURCES } from '../../model/event.js';
import type { RequestSummary } from '../../model/request.js';
import type { Checkpoint, StreamState } from '../../model/stream.js';
import { decodeCursor, encodeCursor } from '../cursor.js';
import { searchWhere, windowWhere } from '../sql-where.js';
import { requestFromRow, streamFromRow, type RequestRow } from '../row-mappers.js';
import { decodeEvent } from '../event-codec.js';
import { compareEvents } from '../event-order.js';
import type { CodeCount, ContextFilter, Page, SearchFilter, Stats } from '../store.js';
import type { RefCache } from './pg-refs.js';

/** How the store runs one statement: after migrations, errors mapped. */
export type Query = <T extends object>(sql: string, params?: unknown[]) => Promise<T[]>;

interface EventRow {
  key: string;
  source: number;
  ref: string | null;
  data: string;
}

const ALL_STREAMS = 'SELECT * FROM streams ORDER BY path NULLS FIRST, key';

const EVENT_COLUMNS = 's.key, e.source, r.ref, e.data FROM events e JOIN streams s ON s.id = e.stream LEFT JOIN container_refs r ON r.id = e.ref';

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

  async eventsByCids(cids: readonly string[]): Promise<Map<string, Event[]>> {
    const out = new Map<string, Event[]>(cids.map((c) => [c, []]));
    if (cids.length === 0) return out;
    for (const r of await this.q<EventRow>(`SELECT ${EVENT_COLUMNS} WHERE e.cid = ANY($1)`, [[...new Set(cids)]])) {
      const e = this.decode(r);
      out.get(e.cid!)?.push(e);
    }
    for (const list of out.values()) list.sort(compareEvents);
    return out;
  }

  /** The newest `limit` lines in the window, returned in time order (as SQLite keeps them). */
  async containerEvents(f: ContextFilter): Promise<Event[]> {
    const rows = await this.q<EventRow>(
      `SELECT ${EVENT_COLUMNS} WHERE e.wok = $1 AND e.time >= $2 AND e.time <= $3 AND e.source = 1 ${f.notable ? 'AND e.notable' : ''}
       ORDER BY e.time DESC, s.key DESC, e.off DESC LIMIT $4`,
      [f.wok, f.from, f.to, Math.max(0, Math.floor(f.limit))],
    );
    return rows.map((r) => this.decode(r)).sort(compareEvents);
  }

  async containerTail(containerId: string, limit: number): Promise<Event[]> {
    // Newest lines per ref of the container (each an index walk on (ref, time)), then the newest of those.
    const rows = await this.q<EventRow>(
      `SELECT t.key, t.source, r.ref, t.data FROM container_refs r CROSS JOIN LATERAL (
         SELECT s.key, e.source, e.data, e.time, e.off FROM events e JOIN streams s ON s.id = e.stream
         WHERE e.ref = r.id AND e.source = 1 ORDER BY e.time DESC, s.key DESC, e.off DESC LIMIT $2
       ) t
       WHERE r.container_id = $1 ORDER BY t.time DESC, t.key DESC, t.off DESC LIMIT $2`,
      [containerId, Math.max(0, Math.floor(limit))],
    );
    return rows.map((r) => this.decode(r)).sort(compareEvents);
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
      `SELECT (SELECT count(*) FROM unparsed) AS unparsed, (SELECT count(DISTINCT cid) FROM events WHERE cid IS NOT NULL) AS cids,
              (SELECT count(*) FROM requests) AS requests`,
    );
    const streams = await this.streams();
    return { events, unparsed: n!.unparsed, correlationIds: n!.cids, requests: n!.requests, streams };
  }

  private decode(r: EventRow): Event {
    return decodeEvent(r.data, { streamKey: r.key, source: SOURCES[r.source]!, container: this.refs.parse(r.ref) });
  }
}
