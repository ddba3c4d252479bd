/**
 * The lines around one event on PostgreSQL: the blocks of the event's stream
 * read outwards from the one holding its offset (the (stream, off0, t0) key),
 * decoding only the lines chosen, until n lines lie on each side.
 */
import { type Around, parseEventId } from '../../model/around.js';
import { SOURCES, type Event } from '../../model/event.js';
import { storedLines } from '../block-codec.js';
import { decodeEvent } from '../event-codec.js';
import { BLOCK_READ } from './pg-blocks.js';
import type { BlockRow, Query } from './pg-event-reads.js';
import type { RefCache } from './pg-refs.js';

/** Blocks read on each side at a time. */
const PAGE = 4;

interface Coded {
  offset: number;
  line: string;
  row: BlockRow;
}

/** Every stored line starts {"o":<offset>, (event-codec.ts), so once the block is unpacked the offset is read without decoding the line. */
function codedLines(row: BlockRow): Coded[] {
  return storedLines(row.data).map((line) => ({ offset: Number(/^\{"o":(\d+)/.exec(line)?.[1] ?? NaN), line, row }));
}

/** The n lines nearest the event, in offset order. */
function nearest(lines: Coded[], n: number, side: 'before' | 'after'): Coded[] {
  const sorted = lines.sort((a, b) => a.offset - b.offset);
  return side === 'before' ? sorted.slice(Math.max(0, sorted.length - n)) : sorted.slice(0, n);
}

export async function pgAroundEvent(q: Query, refs: RefCache, id: string, n: number): Promise<Around | null> {
  const at = parseEventId(id);
  if (!at) return null;
  const [s] = await q<{ id: number }>('SELECT id FROM streams WHERE key = $1', [at.streamKey]);
  if (!s) return null;
  let self: Coded | null = null;
  const before: Coded[] = [];
  const after: Coded[] = [];
  earlier: for (let from = 0; ; from += PAGE) {
    const rows = await q<BlockRow>(`SELECT ${BLOCK_READ} WHERE b.stream = $1 AND b.off0 <= $2 ORDER BY b.off0 DESC LIMIT ${PAGE} OFFSET ${from}`, [s.id, at.offset]);
    for (const row of rows) {
      for (const c of codedLines(row)) {
        if (c.offset === at.offset) self = c;
        else if (c.offset < at.offset) before.push(c);
        else after.push(c);
      }
      if (before.length >= n) break earlier;
    }
    if (rows.length < PAGE) break;
  }
  if (!self) return null;
  later: for (let from = 0; after.length < n; from += PAGE) {
    const rows = await q<BlockRow>(`SELECT ${BLOCK_READ} WHERE b.stream = $1 AND b.off0 > $2 ORDER BY b.off0 LIMIT ${PAGE} OFFSET ${from}`, [s.id, at.offset]);
    for (const row of rows) {
      if (after.length >= n) break later;
      after.push(...codedLines(row));
    }
    if (rows.length < PAGE) break;
  }
  const decode = (c: Coded): Event => decodeEvent(c.line, { streamKey: c.row.key, source: SOURCES[c.row.source]!, container: refs.parse(c.row.ref) });
  return { event: decode(self), before: nearest(before, n, 'before').map(decode), after: nearest(after, n, 'after').map(decode) };
}
