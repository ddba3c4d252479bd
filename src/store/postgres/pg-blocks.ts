/**
 * Blocks on PostgreSQL: a row per prepared block (prepared-batch.ts: up to
 * 512 lines of one stream, source and container, all of one UTC day, packed
 * by block-codec.ts) in `blocks`, day-partitioned on t0, and a row per
 * distinct correlation id of each block in `block_cids`, partitioned the same
 * way, whose B-tree on cid takes a ticket to its few blocks. A block sent
 * again (same stream, first offset and first time) is kept out by the key and
 * adds no ids either. The blocks go in by one INSERT over unnest() arrays
 * (measured on the bench corpus's blocks: about two thirds of the wall time
 * and of the client's CPU of COPY into a staging table with the bytes in hex,
 * merged by INSERT … SELECT); the ids by COPY straight into their table.
 */
import { SOURCES } from '../../model/event.js';
import type { PreparedBlock } from '../prepared-batch.js';
import { StoreError } from '../store.js';
import type { Client } from './pg-connect.js';
import { pgText } from './pg-derived-rows.js';
import { refJson, type RefCache } from './pg-refs.js';
import { copyInto } from './pg-copy-text.js';

const BLOCK_COLUMNS = ['stream', 'off0', 'off1', 't0', 't1', 'source', 'wok', 'ref', 'n', 'notable', 'data'] as const;

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
export async function insertBlocks(c: Client, refs: RefCache, items: readonly BlockItem[]): Promise<BlockItem[]> {
  if (!items.length) return [];
  for (const { block } of items) {
    if (!Number.isFinite(block.t0) || !Number.isFinite(block.t1)) throw new StoreError('an event has no valid time; the batch is refused', 'other');
  }
  const refIds = await refs.resolve(c, items.flatMap(({ block }) => (block.container ? [block.container] : [])));
  const values = items.map(({ stream, block: b }) => [
    stream,
    b.offsets[0]!,
    b.offsets[b.offsets.length - 1]!,
    b.t0,
    b.t1,
    SOURCES.indexOf(b.source),
    b.container ? pgText(b.container.wok) : null,
    b.container ? refIds.get(refJson(b.container))! : null,
    b.offsets.length,
    b.notable,
    Buffer.from(b.packed.buffer, b.packed.byteOffset, b.packed.byteLength),
  ]);
  const inserted = await c.query<{ stream: number; off0: number; t0: number }>(
    `INSERT INTO blocks (stream, off0, off1, t0, t1, source, wok, ref, n, notable, data)
     SELECT * FROM unnest($1::int[], $2::bigint[], $3::bigint[], $4::bigint[], $5::bigint[], $6::smallint[], $7::text[], $8::int[], $9::int[], $10::int[], $11::bytea[])
     ON CONFLICT (stream, off0, t0) DO NOTHING RETURNING stream, off0, t0`,
    BLOCK_COLUMNS.map((_, i) => values.map((v) => v[i])),
  );
  const key = (stream: number, off0: number, t0: number) => `${stream} ${off0} ${t0}`;
  const got = new Set(inserted.rows.map((r) => key(r.stream, r.off0, r.t0)));
  const stored = got.size === items.length ? [...items] : items.filter(({ stream, block: b }) => got.has(key(stream, b.offsets[0]!, b.t0)));
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
