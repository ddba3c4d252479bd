/** The lines around one event on PostgreSQL: the (stream, off) key read either way from the event's offset. */
import { type Around, parseEventId } from '../../model/around.js';
import { SOURCES, type Event } from '../../model/event.js';
import { decodeEvent } from '../event-codec.js';
import type { Query } from './pg-event-reads.js';
import type { RefCache } from './pg-refs.js';

interface Row {
  key: string;
  source: number;
  ref: string | null;
  data: string;
}

const COLS = 'SELECT s.key, e.source, r.ref, e.data FROM events e JOIN streams s ON s.id = e.stream LEFT JOIN container_refs r ON r.id = e.ref';

export async function pgAroundEvent(q: Query, refs: RefCache, id: string, n: number): Promise<Around | null> {
  const at = parseEventId(id);
  if (!at) return null;
  const [s] = await q<{ id: number }>('SELECT id FROM streams WHERE key = $1', [at.streamKey]);
  if (!s) return null;
  const decode = (r: Row): Event => decodeEvent(r.data, { streamKey: r.key, source: SOURCES[r.source]!, container: refs.parse(r.ref) });
  const [self] = await q<Row>(`${COLS} WHERE e.stream = $1 AND e.off = $2`, [s.id, at.offset]);
  if (!self) return null;
  const before = await q<Row>(`${COLS} WHERE e.stream = $1 AND e.off < $2 ORDER BY e.off DESC LIMIT $3`, [s.id, at.offset, n]);
  const after = await q<Row>(`${COLS} WHERE e.stream = $1 AND e.off > $2 ORDER BY e.off LIMIT $3`, [s.id, at.offset, n]);
  return { event: decode(self), before: before.reverse().map(decode), after: after.map(decode) };
}
