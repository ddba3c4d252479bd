/**
 * The migration from a row per event to blocks (pg-blocks.ts): `blocks` and
 * `block_cids` are made, partitioned by day on t0 like the other time-ordered
 * tables (a DEFAULT partition for times outside 2000–2099, a partition for
 * every day the old events fall on), the old `events` rows are read in bounded
 * pages in (stream, offset) order, decoded and packed again by the code that
 * prepares every write (prepared-batch.ts), stored, and `events` dropped —
 * inside the migration's transaction, so a store written by an earlier
 * version opens with the same tickets. The derived tables (requests, audits,
 * lifecycle, event_days, counters) are rows already and stay as they are.
 */
import { SOURCES, type Event } from '../../model/event.js';
import { decodeEvent } from '../event-codec.js';
import { prepareBlocks } from '../prepared-batch.js';
import { DEFAULT_REDACTOR } from '../../redact/redactor.js';
import type { Client } from './pg-connect.js';
import { insertBlocks, type BlockItem } from './pg-blocks.js';
import { DAY_MS, END_DAY, FIRST_DAY, partitionName } from './pg-partitions.js';
import { RefCache } from './pg-refs.js';

const LO = FIRST_DAY * DAY_MS;
const HI = END_DAY * DAY_MS;
/** Old rows read, packed and stored at a time. */
const PAGE = 20_000;

export const BLOCK_TABLES = `
  CREATE TABLE blocks (
    stream integer NOT NULL,
    off0 bigint NOT NULL,
    off1 bigint NOT NULL,
    -- the block's first and last time: one UTC day (prepared-batch.ts), partitioned on t0
    t0 bigint NOT NULL,
    t1 bigint NOT NULL,
    -- 0 cp, 1 container, 2 audit
    source smallint NOT NULL,
    -- the container's wok and ref (container_refs), for container blocks
    wok text COLLATE "C",
    ref integer,
    n integer NOT NULL,
    notable integer NOT NULL,
    -- the encoded lines (event-codec.ts), each starting with its offset, packed (block-codec.ts)
    data bytea NOT NULL,
    PRIMARY KEY (stream, off0, t0)
  ) PARTITION BY RANGE (t0);
  CREATE TABLE blocks_default PARTITION OF blocks (CONSTRAINT blocks_default_outside CHECK (t0 < ${LO} OR t0 >= ${HI})) DEFAULT;
  CREATE INDEX blocks_wok_t0 ON blocks (wok, t0) WHERE wok IS NOT NULL;
  CREATE INDEX blocks_ref_t1 ON blocks (ref, t1) WHERE ref IS NOT NULL;
  CREATE INDEX blocks_t1 ON blocks (t1);
  -- each distinct correlation id of a block, with the block's key
  CREATE TABLE block_cids (cid text COLLATE "C" NOT NULL, t0 bigint NOT NULL, stream integer NOT NULL, off0 bigint NOT NULL) PARTITION BY RANGE (t0);
  CREATE TABLE block_cids_default PARTITION OF block_cids (CONSTRAINT block_cids_default_outside CHECK (t0 < ${LO} OR t0 >= ${HI})) DEFAULT;
  CREATE INDEX block_cids_cid ON block_cids (cid);
`;

interface OldRow {
  stream: number;
  off: number;
  source: number;
  ref: string | null;
  data: string;
  key: string;
}

/** Migration 8: blocks in place of a row per event. */
export async function migrateToBlocks(c: Client): Promise<void> {
  await c.query(BLOCK_TABLES);
  const days = await c.query<{ d: number }>(`SELECT DISTINCT time / ${DAY_MS} AS d FROM events WHERE time >= ${LO} AND time < ${HI} ORDER BY 1`);
  for (const { d } of days.rows) {
    for (const t of ['blocks', 'block_cids'] as const) {
      await c.query(`CREATE TABLE ${partitionName(t, d)} PARTITION OF ${t} FOR VALUES FROM (${d * DAY_MS}) TO (${(d + 1) * DAY_MS})`);
    }
  }
  const refs = new RefCache();
  let after: [number, number] = [-1, -1];
  for (;;) {
    const page = await c.query<OldRow>(
      `SELECT e.stream, e.off, e.source, r.ref, e.data, s.key FROM events e JOIN streams s ON s.id = e.stream LEFT JOIN container_refs r ON r.id = e.ref
       WHERE (e.stream, e.off) > ($1, $2) ORDER BY e.stream, e.off LIMIT ${PAGE}`,
      after,
    );
    if (!page.rows.length) break;
    const items: BlockItem[] = [];
    let run: Event[] = [];
    const flush = (stream: number, key: string) => {
      // Lines were redacted when first stored; encoding them again with the built-in rules changes nothing.
      for (const block of prepareBlocks(run, DEFAULT_REDACTOR)) items.push({ stream, key, block });
      run = [];
    };
    page.rows.forEach((r, i) => {
      const ctx = { streamKey: r.key, source: SOURCES[r.source]!, container: refs.parse(r.ref) };
      run.push(decodeEvent(r.data, ctx));
      const next = page.rows[i + 1];
      if (!next || next.stream !== r.stream) flush(r.stream, r.key);
    });
    await insertBlocks(c, refs, items);
    const last = page.rows[page.rows.length - 1]!;
    after = [last.stream, last.off];
  }
  await c.query('DROP TABLE events');
  await c.query('ANALYZE blocks, block_cids');
}
