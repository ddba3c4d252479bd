/**
 * The writer side of the follower's property test: a log file and its
 * rotated copies in a temp dir, changed by the operations log shippers meet
 * in production, with a model of which complete lines each file holds.
 *
 * Every line is unique (its number is in its correlation id), so the store
 * can be asked, line by line, how many times it was ingested. A line is
 * *required* (exactly once) unless the operations made it unreachable — a
 * plain truncation or the deletion of a rotated file may take lines the
 * follower had not read yet; those are *optional* (at most once).
 */
import { closeSync, copyFileSync, openSync, renameSync, truncateSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';

export type WriterOp =
  | { op: 'append'; lines: number }
  | { op: 'partial'; fraction: number }
  | { op: 'rename'; extraOld: number }
  | { op: 'copytruncate' }
  | { op: 'truncate' }
  | { op: 'delete-oldest' };

export const BASE_TIME = 1_764_000_000_000;

export function cidOf(n: number): string {
  return (0xc0de000000000000n + BigInt(n)).toString(16).padStart(16, '0');
}

/** A cp line as pino writes it; lengths vary with the number so offsets do. */
export function lineText(n: number): string {
  const pad = 'x'.repeat((n * 37) % 90);
  return JSON.stringify({ level: 30, time: BASE_TIME + n, pid: 7, hostname: 'cp-1', correlation_id: cidOf(n), msg: `line ${n} ${pad}` });
}

/** Lines `from` … `to - 1`, each with its newline. */
export function linesText(from: number, to: number): string {
  return Array.from({ length: to - from }, (_, i) => lineText(from + i) + '\n').join('');
}

/** A fixed first line, as a log that opens with a start-up banner has: the fingerprint alone cannot tell its contents apart. */
export const BANNER = JSON.stringify({ level: 30, time: BASE_TIME, pid: 1, hostname: 'cp-1', msg: 'cp starting' }) + '\n';

export class LogModel {
  /** gens[0] is the live file, gens[i] is `<live>.<i>`: the line numbers each holds, in order. */
  gens: number[][] = [[]];
  readonly optional = new Set<number>();
  readonly complete = new Set<number>();
  /** The line being written in parts: its number and how many bytes are out. */
  pending: { n: number; written: number } | null = null;
  abandoned: number[] = [];
  private next = 0;

  constructor(readonly live: string) {
    writeFileSync(live, '');
  }

  name(i: number): string {
    return i === 0 ? this.live : `${this.live}.${i}`;
  }

  apply(o: WriterOp): void {
    switch (o.op) {
      case 'append':
        for (let i = 0; i < o.lines; i++) this.writeLine(this.live);
        return;
      case 'partial': {
        if (!this.pending) this.pending = { n: this.next++, written: 0 };
        const text = Buffer.from(lineText(this.pending.n));
        const upto = Math.max(this.pending.written + 1, Math.floor(text.length * o.fraction));
        const end = Math.min(upto, text.length);
        if (end > this.pending.written) {
          append(this.live, text.subarray(this.pending.written, end));
          this.pending.written = end;
        }
        return;
      }
      case 'rename': {
        // The writer still holds the old file open: it finishes its line there, and may write a few more.
        const fd = openSync(this.live, 'a');
        this.shift();
        renameSync(this.live, this.name(1));
        try {
          this.finishPending((b) => writeSync(fd, b), 0);
          for (let i = 0; i < o.extraOld; i++) {
            const n = this.next++;
            writeSync(fd, lineText(n) + '\n');
            this.gens[0]!.push(n);
            this.complete.add(n);
          }
        } finally {
          closeSync(fd);
        }
        this.gens.unshift([]);
        writeFileSync(this.live, '', { flag: 'wx' });
        return;
      }
      case 'copytruncate': {
        this.finishPending((b) => append(this.live, b), 0);
        this.shift();
        copyFileSync(this.live, this.name(1));
        truncateSync(this.live, 0);
        this.gens.splice(1, 0, this.gens[0]!);
        this.gens[0] = [];
        return;
      }
      case 'truncate': {
        if (this.pending) this.abandoned.push(this.pending.n);
        this.pending = null;
        for (const n of this.gens[0]!) this.optional.add(n);
        this.gens[0] = [];
        truncateSync(this.live, 0);
        return;
      }
      case 'delete-oldest': {
        if (this.gens.length < 2) return;
        const last = this.gens.length - 1;
        unlinkSync(this.name(last));
        for (const n of this.gens.pop()!) this.optional.add(n);
        return;
      }
    }
  }

  /** Rotated files move one number up (highest first), as logrotate does. */
  private shift(): void {
    for (let i = this.gens.length - 1; i >= 1; i--) renameSync(this.name(i), this.name(i + 1));
  }

  private writeLine(file: string): void {
    if (this.pending) return this.finishPending((b) => append(file, b), 0);
    const n = this.next++;
    append(file, Buffer.from(lineText(n) + '\n'));
    this.gens[0]!.push(n);
    this.complete.add(n);
  }

  private finishPending(write: (b: Buffer) => void, gen: number): void {
    if (!this.pending) return;
    const text = Buffer.from(lineText(this.pending.n) + '\n');
    write(text.subarray(this.pending.written));
    this.gens[gen]!.push(this.pending.n);
    this.complete.add(this.pending.n);
    this.pending = null;
  }

  required(): number[] {
    return [...this.complete].filter((n) => !this.optional.has(n)).sort((a, b) => a - b);
  }
}

function append(file: string, b: Buffer | string): void {
  writeFileSync(file, b, { flag: 'a' });
}
