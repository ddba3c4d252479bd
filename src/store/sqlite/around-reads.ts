/**
 * The lines around one event on SQLite: the blocks of the event's stream are
 * read outwards from the one holding its offset (blocks_stream and the
 * (stream, off0) key), decoding until n lines lie on each side.
 */
import { type Around, parseEventId } from '../../model/around.js';
import type { ContainerRef, Event, Source } from '../../model/event.js';
import { decodeEvent, offsetOf } from '../event-codec.js';
import type { Statements } from './statements.js';

interface Row {
  key: string;
  source: Source;
  container: string | null;
  data: string;
}

const COLS = 'SELECT s.key, b.source, b.container, b.data FROM blocks b JOIN streams s ON s.id = b.stream';

export function aroundEvent(st: Statements, id: string, n: number): Around | null {
  const at = parseEventId(id);
  if (!at) return null;
  const stream = st.pluck('SELECT id FROM streams WHERE key = ?').get(at.streamKey) as number | undefined;
  if (stream === undefined) return null;
  const earlier = st
    .stmt(`${COLS} WHERE b.stream = ? AND b.off0 <= ? ORDER BY b.off0 DESC`)
    .iterate(stream, at.offset) as IterableIterator<Row>;
  let event: Event | null = null;
  const before: Event[] = [];
  const after: Event[] = [];
  for (const row of earlier) {
    for (const e of decodeRow(row)) {
      const o = offsetOf(e.id);
      if (o === at.offset) event = e;
      else if (o < at.offset) before.push(e);
      else after.push(e);
    }
    if (before.length >= n) break;
  }
  if (!event) return null;
  const later = st.stmt(`${COLS} WHERE b.stream = ? AND b.off0 > ? ORDER BY b.off0`).iterate(stream, at.offset) as IterableIterator<Row>;
  for (const row of later) {
    if (after.length >= n) break;
    after.push(...decodeRow(row));
  }
  return { event, before: nearest(before, n, 'before'), after: nearest(after, n, 'after') };
}

/** The n lines nearest the event, in offset order. */
export function nearest(events: Event[], n: number, side: 'before' | 'after'): Event[] {
  const sorted = events.sort((a, b) => offsetOf(a.id) - offsetOf(b.id));
  return side === 'before' ? sorted.slice(Math.max(0, sorted.length - n)) : sorted.slice(0, n);
}

function decodeRow(row: Row): Event[] {
  const container = row.container ? (JSON.parse(row.container) as ContainerRef) : null;
  return row.data.split('\n').map((line) => decodeEvent(line, { streamKey: row.key, source: row.source, container }));
}
