/**
 * The lines around one event on SQLite: the blocks of the event's stream are
 * read outwards from the one holding its offset (blocks_stream and the
 * (stream, off0) key), decoding until n lines lie on each side.
 */
import { type Around, parseEventId } from '../../model/around.js';
import type { ContainerRef, Source } from '../../model/event.js';
import { storedLines, type StoredLines } from '../block-codec.js';
import { decodeEvent } from '../event-codec.js';
import type { Statements } from './statements.js';

interface Row {
  key: string;
  source: Source;
  container: string | null;
  data: StoredLines;
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
  // Lines are kept encoded with their offset (read off the line's head) and only the chosen ones decoded.
  let self: Coded | null = null;
  const before: Coded[] = [];
  const after: Coded[] = [];
  for (const row of earlier) {
    for (const c of codedLines(row)) {
      if (c.offset === at.offset) self = c;
      else if (c.offset < at.offset) before.push(c);
      else after.push(c);
    }
    if (before.length >= n) break;
  }
  if (!self) return null;
  const later = st.stmt(`${COLS} WHERE b.stream = ? AND b.off0 > ? ORDER BY b.off0`).iterate(stream, at.offset) as IterableIterator<Row>;
  for (const row of later) {
    if (after.length >= n) break;
    after.push(...codedLines(row));
  }
  const decode = (c: Coded) => decodeEvent(c.line, { streamKey: c.row.key, source: c.row.source, container: c.row.container ? (JSON.parse(c.row.container) as ContainerRef) : null });
  return { event: decode(self), before: nearest(before, n, 'before').map(decode), after: nearest(after, n, 'after').map(decode) };
}

interface Coded {
  offset: number;
  line: string;
  row: Row;
}

/** The n lines nearest the event, in offset order. */
function nearest(lines: Coded[], n: number, side: 'before' | 'after'): Coded[] {
  const sorted = lines.sort((a, b) => a.offset - b.offset);
  return side === 'before' ? sorted.slice(Math.max(0, sorted.length - n)) : sorted.slice(0, n);
}

/** Every stored line starts {"o":<offset>, (event-codec.ts), so once the block is unpacked the offset is read without decoding the line. */
function codedLines(row: Row): Coded[] {
  return storedLines(row.data).map((line) => ({ offset: Number(/^\{"o":(\d+)/.exec(line)?.[1] ?? NaN), line, row }));
}
