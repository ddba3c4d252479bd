/**
 * Joins Docker's partial records (lines over 16 KiB arrive as several records,
 * all but the last without a trailing newline). One pending line per output
 * stream, since stdout and stderr interleave. Pure state, no I/O.
 */
import type { DockerRecord } from './docker-json.js';

export interface AssembledLine {
  record: DockerRecord;
  /** Offset of the first part: the joined line's identity. */
  offset: number;
  /** Line number of the first part. */
  line: number;
  parts: number;
  truncated: boolean;
}

interface Pending {
  first: DockerRecord;
  offset: number;
  line: number;
  chunks: string[];
  length: number;
  parts: number;
  truncated: boolean;
}

export class DockerAssembler {
  private readonly pending = new Map<'stdout' | 'stderr', Pending>();

  constructor(private readonly maxLine: number) {}

  /** Feeds one record; returns the completed line, or null while a line is still open. */
  push(rec: DockerRecord, offset: number, line: number): AssembledLine | null {
    const p = this.pending.get(rec.stream);
    if (!p) {
      if (rec.final) return { record: rec, offset, line, parts: 1, truncated: false };
      this.pending.set(rec.stream, { first: rec, offset, line, chunks: [rec.log], length: rec.log.length, parts: 1, truncated: false });
      return null;
    }
    p.parts++;
    if (p.length < this.maxLine) {
      p.chunks.push(rec.log);
      p.length += rec.log.length;
    } else {
      p.truncated = true;
    }
    if (!rec.final) return null;
    this.pending.delete(rec.stream);
    let log = p.chunks.join('');
    const truncated = p.truncated || log.length > this.maxLine;
    if (log.length > this.maxLine) log = log.slice(0, this.maxLine);
    return { record: { ...p.first, log, final: true }, offset: p.offset, line: p.line, parts: p.parts, truncated };
  }

  /** Where the oldest open line starts (offset and line number): a checkpoint must not pass it. */
  pendingStart(): { offset: number; line: number } | null {
    let min: Pending | null = null;
    for (const p of this.pending.values()) if (min === null || p.offset < min.offset) min = p;
    return min ? { offset: min.offset, line: min.line } : null;
  }

  /** Gives up the open lines (the stream ended without their last part); they come back whole. */
  flush(): AssembledLine[] {
    const out = [...this.pending.values()].map((p) => ({
      record: { ...p.first, log: p.chunks.join('').slice(0, this.maxLine), final: false },
      offset: p.offset,
      line: p.line,
      parts: p.parts,
      truncated: p.truncated,
    }));
    this.pending.clear();
    return out.sort((a, b) => a.offset - b.offset);
  }
}
