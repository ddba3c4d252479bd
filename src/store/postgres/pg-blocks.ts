/**
 * Blocks on PostgreSQL: a row per prepared block (prepared-batch.ts: up to
 * 512 lines of one stream, source and container, all of one UTC day, packed
 * by block-codec.ts) in `blocks`, day-partitioned on t0, and a row per
 * distinct correlation id of each block in `block_cids`, partitioned the same
 * way, whose B-tree on cid takes a ticket to its few blocks. A block sent
 * again (same stream, first offset and first time) is kept out by the key and
 * adds no ids either. The blocks go in by COPY into a staging table merged by
 * one INSERT … SELECT (pg-staging.ts); the ids by COPY straight into their table.
 */
import { SOURCES } from '../../model/event.js';
import type { PreparedBlock } from '../prepared-batch.js';
import { StoreError } from '../store.js';
import type { Client } from './pg-connect.js';
import { pgText } from './pg-derived-rows.js';
import { refJson, type RefCache } from './pg-refs.js';
import { copyBytes, copyInto, type Staging } from './pg-staging.js';

/** A block of a write and its stream: the row's id and key. */
export interface BlockItem {
  stream: number;
  key: string;
  block: PreparedBlock;
}

/** The columns a read selects to decode a block's lines: stream key, source, container ref (JSON) and the packed lines. */
export const BLOCK_READ = 's.key, b.source, r.ref, b.data FROM blocks b JOIN streams s ON s.id = b.stream LEFT JOIN container_refs r ON r.id = b.ref';

/**
 * Stores the blocks not stored before and their correlation ids, in the
 * caller's transaction; answers the blocks stored, in the order given.
 */
export async function insertBlocks(c: Client, staging: Staging, refs: RefCache, items: readonly BlockItem[]): Promise<BlockItem[]> {
  if (!items.length) return [];
  for (const { block } of items) {
    if (!Number.isFinite(block.t0) || !Number.isFinite(block.t1)) throw new StoreError('an event has no valid time; the batch is refused', 'other');
  }
  const refIds = await refs.resolve(c, items.flatMap(({ block }) => (block.container ? [block.container] : [])));
  const first = await staging.copy(
    c,
    'blocks_in',
    (function* () {
      for (const { stream, block: b } of items) {
        const ref = b.container ? refIds.get(refJson(b.container))! : null;
        yield [stream, b.offsets[0]!, b.offsets[b.offsets.length - 1]!, b.t0, b.t1, SOURCES.indexOf(b.source), b.container ? pgText(b.container.wok) : null, ref, b.offsets.length, b.notable, copyBytes(b.packed)];
      }
    })(),
  );
  const skipped = await c.query<{ ord: number }>(
    `WITH ins AS (
       INSERT INTO blocks (stream, off0, off1, t0, t1, source, wok, ref, n, notable, data)
       SELECT stream, off0, off1, t0, t1, source, wok, ref, n, notable, data FROM pg_temp.blocks_in WHERE ord >= $1
       ON CONFLICT (stream, off0, t0) DO NOTHING RETURNING stream, off0, t0
     )
     SELECT s.ord FROM pg_temp.blocks_in s WHERE s.ord >= $1 AND NOT EXISTS (SELECT 1 FROM ins WHERE ins.stream = s.stream AND ins.off0 = s.off0 AND ins.t0 = s.t0)`,
    [first],
  );
  const gone = new Set(skipped.rows.map((r) => r.ord - first));
  const stored = gone.size ? items.filter((_, i) => !gone.has(i)) : [...items];
  await copyInto(
    c,
    'block_cids',
    ['cid', 't0', 'stream', 'off0'],
    (function* () {
      for (const { stream, block: b } of stored) for (const cid of b.cids) yield [pgText(cid), b.t0, stream, b.offsets[0]!];
    })(),
  );
  return stored;
}
