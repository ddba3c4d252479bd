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

  constructor(private readonly db: Db) {
    this.insertOne = db.prepare('INSERT OR IGNORE INTO cidx (seg, cid, blk) VALUES (?, ?, ?)');
    this.insertChunk = db.prepare(`INSERT OR IGNORE INTO cidx (seg, cid, blk) VALUES ${Array(CHUNK).fill('(?, ?, ?)').join(', ')}`);
    this.addSeg = db.prepare('INSERT INTO segs (seg, n, t1, level) VALUES (?, ?, ?, 0)');
    this.nextSeg = db.prepare('SELECT COALESCE(MAX(seg), 0) + 1 AS seg FROM segs').pluck();
    this.lookupStmt = db.prepare('SELECT DISTINCT blk FROM cidx WHERE seg IN (SELECT seg FROM segs) AND cid = ?').pluck();
  }

  /** Adds a segment for one batch. `entries` is [cid, block] pairs; must run inside the batch's transaction. */
  addSegment(entries: [string, number][], t1: number): void {
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
    this.addSeg.run(seg, entries.length, t1);
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
    const small = this.db.prepare('SELECT seg, n, t1 FROM segs WHERE n < ? ORDER BY seg LIMIT ?').all(SMALL_SEGMENT, MERGE_AT * 2) as { seg: number; n: number; t1: number }[];
    if (small.length < MERGE_AT) return false;
    this.merge(small.map((s) => s.seg));
    return true;
  }

  /** Merges the given segments into one new segment, in one transaction. */
  merge(segs: number[]): void {
    if (segs.length < 2) return;
    const list = segs.join(',');
    this.db.transaction(() => {
      const seg = this.nextSeg.get() as number;
      const info = this.db
        .prepare(`INSERT OR IGNORE INTO cidx (seg, cid, blk) SELECT ?, cid, blk FROM cidx WHERE seg IN (${list}) AND EXISTS (SELECT 1 FROM blocks WHERE blocks.id = cidx.blk) ORDER BY cid, blk`)
        .run(seg);
      const t1 = this.db.prepare(`SELECT MAX(t1) FROM segs WHERE seg IN (${list})`).pluck().get() as number;
      const level = this.db.prepare(`SELECT MAX(level) FROM segs WHERE seg IN (${list})`).pluck().get() as number;
      this.db.prepare(`DELETE FROM cidx WHERE seg IN (${list})`).run();
      this.db.prepare(`DELETE FROM segs WHERE seg IN (${list})`).run();
      this.db.prepare('INSERT INTO segs (seg, n, t1, level) VALUES (?, ?, ?, ?)').run(seg, info.changes, t1, level + 1);
    }).immediate();
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

  segmentCount(): number {
    return this.db.prepare('SELECT COUNT(*) FROM segs').pluck().get() as number;
  }
}
