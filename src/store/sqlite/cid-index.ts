/**
 * The correlation-id index: (segment, cid, block) rows. Each write batch adds
 * one segment with its entries sorted by cid, so inserting is an append at the
 * end of the B-tree instead of thousands of random page writes (measured here:
 * a plain index on random 16-hex ids drops inserts to about a quarter).
 * Small segments are merged; each segment keeps a Bloom filter of its ids,
 * so a lookup probes only the segments that may hold the id.
 */
import type { Db } from './open-database.js';
import { sortForSegment } from './cid-segment-sort.js';
import { buildBloom, mayContain } from './segment-bloom.js';

/** Segments smaller than this are merged with their neighbours. */
export const SMALL_SEGMENT = 4096;
/** How many small segments may wait before they are merged. */
export const MERGE_AT = 8;
const CHUNK = 100;

export class CidIndex {
  private readonly insertOne;
  private readonly insertChunk;
  private readonly addSeg;
  private readonly lookupStmt;
  private readonly smallSegs;
  private readonly segList;
  private readonly bloomOf;
  /** Filters by segment, loaded as lookups meet them (a segment's filter never changes). */
  private readonly blooms = new Map<number, Uint8Array | null>();

  constructor(private readonly db: Db) {
    this.insertOne = db.prepare('INSERT OR IGNORE INTO cidx (seg, cid, blk) VALUES (?, ?, ?)');
    this.insertChunk = db.prepare(`INSERT OR IGNORE INTO cidx (seg, cid, blk) VALUES ${Array(CHUNK).fill('(?, ?, ?)').join(', ')}`);
    this.addSeg = db.prepare('INSERT INTO segs (n, t1, oldest, level, bloom) VALUES (?, ?, ?, ?, ?)');
    this.lookupStmt = db.prepare('SELECT blk FROM cidx WHERE seg = ? AND cid = ?').pluck();
    this.segList = db.prepare('SELECT seg FROM segs').pluck();
    this.bloomOf = db.prepare('SELECT bloom FROM segs WHERE seg = ?').pluck();
    // Run after every write batch: prepared once here rather than on each call.
    this.smallSegs = db.prepare('SELECT seg FROM segs WHERE n < ? ORDER BY seg LIMIT ?').pluck();
  }

  /**
   * Adds a segment for one batch. `entries` is [cid, block] pairs; `t1` and `oldest` the newest and the
   * oldest end time (t1) of its blocks. Must run inside the batch's transaction.
   */
  addSegment(entries: [string, number][], t1: number, oldest: number): void {
    if (entries.length === 0) return;
    const bloom = sortForSegment(entries);
    const seg = Number(this.addSeg.run(entries.length, t1, oldest, 0, bloom).lastInsertRowid);
    const args: (string | number)[] = [];
    let i = 0;
    for (; i + CHUNK <= entries.length; i += CHUNK) {
      args.length = 0;
      for (let j = i; j < i + CHUNK; j++) args.push(seg, entries[j]![0], entries[j]![1]);
      this.insertChunk.run(args);
    }
    for (; i < entries.length; i++) this.insertOne.run(seg, entries[i]![0], entries[i]![1]);
  }

  /** The blocks holding lines with the id: read in one transaction, so a merge committing meanwhile cannot hide a segment. */
  blocksFor(cid: string): number[] {
    return this.db.inTransaction ? this.lookup(cid) : this.db.transaction(() => this.lookup(cid))();
  }

  private lookup(cid: string): number[] {
    const segs = this.segList.all() as number[];
    const out = new Set<number>();
    for (const seg of segs) {
      let bloom = this.blooms.get(seg);
      if (bloom === undefined) {
        bloom = (this.bloomOf.get(seg) as Uint8Array | null | undefined) ?? null;
        this.blooms.set(seg, bloom);
      }
      if (bloom && !mayContain(bloom, cid)) continue;
      for (const blk of this.lookupStmt.all(seg, cid) as number[]) out.add(blk);
    }
    if (this.blooms.size > segs.length * 2 + 64) this.forgetGone(segs);
    return [...out];
  }

  /** Drops cached filters of segments merged or pruned away. */
  private forgetGone(segs: number[]): void {
    const live = new Set(segs);
    for (const seg of this.blooms.keys()) if (!live.has(seg)) this.blooms.delete(seg);
  }

  /**
   * Merges waiting small segments into one, dropping entries whose block is
   * gone (pruned). Bounded work: at most MERGE_AT × SMALL_SEGMENT entries.
   * Returns true if it merged something.
   */
  compactSmall(): boolean {
    const pick = () => this.smallSegs.all(SMALL_SEGMENT, MERGE_AT * 2) as number[];
    if (pick().length < MERGE_AT) return false;
    // Chosen again under the write lock: another connection may have merged them meanwhile.
    return this.db.transaction(() => {
      const small = pick();
      if (small.length < MERGE_AT) return false;
      this.mergeLocked(small);
      return true;
    }).immediate();
  }

  /** Merges the given segments into one new segment, in one transaction. */
  merge(segs: number[]): void {
    if (segs.length < 2) return;
    this.db.transaction(() => this.mergeLocked(segs)).immediate();
  }

  private mergeLocked(segs: number[]): void {
    const list = segs.map(Number).join(',');
    if ((this.db.prepare(`SELECT COUNT(*) FROM segs WHERE seg IN (${list})`).pluck().get() as number) < 2) return;
    const t1 = this.db.prepare(`SELECT MAX(t1) FROM segs WHERE seg IN (${list})`).pluck().get() as number;
    const level = this.db.prepare(`SELECT MAX(level) FROM segs WHERE seg IN (${list})`).pluck().get() as number;
    const oldest = this.db.prepare(`SELECT CASE WHEN COUNT(oldest) < COUNT(*) THEN NULL ELSE MIN(oldest) END FROM segs WHERE seg IN (${list})`).pluck().get() as number | null;
    const seg = Number(this.addSeg.run(0, t1, oldest, level + 1, null).lastInsertRowid);
    const info = this.db
      .prepare(`INSERT OR IGNORE INTO cidx (seg, cid, blk) SELECT ?, cid, blk FROM cidx WHERE seg IN (${list}) AND EXISTS (SELECT 1 FROM blocks WHERE blocks.id = cidx.blk) ORDER BY cid, blk`)
      .run(seg);
    this.db.prepare(`DELETE FROM cidx WHERE seg IN (${list})`).run();
    this.db.prepare(`DELETE FROM segs WHERE seg IN (${list})`).run();
    const merged = this.db.prepare('SELECT cid FROM cidx WHERE seg = ?').pluck().all(seg) as string[];
    this.db.prepare('UPDATE segs SET n = ?, bloom = ? WHERE seg = ?').run(info.changes, buildBloom(merged, merged.length), seg);
  }

  /** Drops whole segments whose newest block is older than `before`. */
  dropBefore(before: number): number {
    const old = this.db.prepare('SELECT seg FROM segs WHERE t1 < ?').pluck().all(before) as number[];
    for (const seg of old) {
      this.db.transaction(() => {
        this.db.prepare('DELETE FROM cidx WHERE seg = ?').run(seg);
        this.db.prepare('DELETE FROM segs WHERE seg = ?').run(seg);
      }).immediate();
    }
    return old.length;
  }

  /**
   * After prune removed the blocks that ended before `before`: drops the entries pointing at them from the
   * segments that also hold newer blocks (whole old segments went in dropBefore). One segment per transaction.
   */
  cleanBefore(before: number): number {
    const segs = this.db.prepare('SELECT seg FROM segs WHERE t1 >= ? AND (oldest IS NULL OR oldest < ?)').pluck().all(before, before) as number[];
    let removed = 0;
    for (const seg of segs) {
      removed += this.db.transaction(() => {
        const gone = this.db.prepare('DELETE FROM cidx WHERE seg = ? AND NOT EXISTS (SELECT 1 FROM blocks WHERE blocks.id = cidx.blk)').run(seg).changes;
        this.db.prepare('UPDATE segs SET n = n - ?, oldest = ? WHERE seg = ?').run(gone, before, seg);
        return gone;
      }).immediate();
    }
    return removed;
  }

  segmentCount(): number {
    return this.db.prepare('SELECT COUNT(*) FROM segs').pluck().get() as number;
  }
}
