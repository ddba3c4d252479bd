/**
 * The correlation-id index: (segment, cid, block) rows. Each write batch adds
 * one segment with its entries sorted by cid, so inserting is an append at the
 * end of the B-tree instead of thousands of random page writes (measured here:
 * a plain index on random 16-hex ids drops inserts to about a quarter).
 * A lookup probes each segment; small segments are merged so there stay few.
 */
import type { Db } from './open-database.js';

/** Segments smaller than this are merged with their neighbours. */
export const SMALL_SEGMENT = 4096;
/** How many small segments may wait before they are merged. */
export const MERGE_AT = 8;
const CHUNK = 100;

export class CidIndex {
  private readonly insertOne;
  private readonly insertChunk;
  private readonly addSeg;
  private readonly nextSeg;
  private readonly lookupStmt;
  private readonly smallSegs;

  constructor(private readonly db: Db) {
    this.insertOne = db.prepare('INSERT OR IGNORE INTO cidx (seg, cid, blk) VALUES (?, ?, ?)');
    this.insertChunk = db.prepare(`INSERT OR IGNORE INTO cidx (seg, cid, blk) VALUES ${Array(CHUNK).fill('(?, ?, ?)').join(', ')}`);
    this.addSeg = db.prepare('INSERT INTO segs (seg, n, t1, oldest, level) VALUES (?, ?, ?, ?, 0)');
    this.nextSeg = db.prepare('SELECT COALESCE(MAX(seg), 0) + 1 AS seg FROM segs').pluck();
    this.lookupStmt = db.prepare('SELECT DISTINCT blk FROM cidx WHERE seg IN (SELECT seg FROM segs) AND cid = ?').pluck();
    // Run after every write batch: prepared once here rather than on each call.
    this.smallSegs = db.prepare('SELECT seg FROM segs WHERE n < ? ORDER BY seg LIMIT ?').pluck();
  }

  /**
   * Adds a segment for one batch. `entries` is [cid, block] pairs; `t1` and `oldest` the newest and the
   * oldest end time (t1) of its blocks. Must run inside the batch's transaction.
   */
  addSegment(entries: [string, number][], t1: number, oldest: number): void {
    if (entries.length === 0) return;
    entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1]));
    const seg = this.nextSeg.get() as number;
    const args: (string | number)[] = [];
    let i = 0;
    for (; i + CHUNK <= entries.length; i += CHUNK) {
      args.length = 0;
      for (let j = i; j < i + CHUNK; j++) args.push(seg, entries[j]![0], entries[j]![1]);
      this.insertChunk.run(args);
    }
    for (; i < entries.length; i++) this.insertOne.run(seg, entries[i]![0], entries[i]![1]);
    this.addSeg.run(seg, entries.length, t1, oldest);
  }

  blocksFor(cid: string): number[] {
    return this.lookupStmt.all(cid) as number[];
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
    const seg = this.nextSeg.get() as number;
    const info = this.db
      .prepare(`INSERT OR IGNORE INTO cidx (seg, cid, blk) SELECT ?, cid, blk FROM cidx WHERE seg IN (${list}) AND EXISTS (SELECT 1 FROM blocks WHERE blocks.id = cidx.blk) ORDER BY cid, blk`)
      .run(seg);
    const t1 = this.db.prepare(`SELECT MAX(t1) FROM segs WHERE seg IN (${list})`).pluck().get() as number;
    const level = this.db.prepare(`SELECT MAX(level) FROM segs WHERE seg IN (${list})`).pluck().get() as number;
    const oldest = this.db.prepare(`SELECT CASE WHEN COUNT(oldest) < COUNT(*) THEN NULL ELSE MIN(oldest) END FROM segs WHERE seg IN (${list})`).pluck().get() as number | null;
    this.db.prepare(`DELETE FROM cidx WHERE seg IN (${list})`).run();
    this.db.prepare(`DELETE FROM segs WHERE seg IN (${list})`).run();
    this.db.prepare('INSERT INTO segs (seg, n, t1, oldest, level) VALUES (?, ?, ?, ?, ?)').run(seg, info.changes, t1, oldest, level + 1);
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
