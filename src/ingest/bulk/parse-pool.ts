/**
 * The parser threads of a bulk ingest. They are started before the store is
 * opened and the work planned, so loading their modules (a few hundred ms of
 * a thread's start-up) overlaps that instead of following it; run() then
 * hands them the tasks.
 */
import { availableParallelism } from 'node:os';
import type { Redactor } from '../../redact/redactor.js';
import { fromThreadError } from '../../threads/thread-error.js';
import { startThread, threadEntry, type TypedWorker } from '../../threads/typed-worker.js';
import type { ParseTask, ParseThread, Piece } from './tasks.js';

/** Parser threads when not told: one per core. */
export function defaultParseThreads(): number {
  return Math.max(1, availableParallelism());
}

const PARSE_THREAD = threadEntry<ParseThread>(import.meta.url, 'parse-worker');

/** Pieces received but not yet written before parser threads are held back: memory stays bounded whatever the input. */
const MAX_PENDING_PIECES = 2;

export class ParsePool {
  private readonly threads: TypedWorker<ParseThread>[] = [];
  private used = false;
  /** A thread that failed before run() listened (its module did not load): run() fails with it. */
  private early: Error | null = null;

  /** Starts `n` parser threads redacting with `redactor`. */
  constructor(n: number, redactor: Redactor) {
    for (let i = 0; i < Math.max(1, n); i++) {
      // A 16 MB young generation lets most of a piece's events die young; 32 MB was not measurably faster
      // on the bench and cost ~20 MB more RSS per thread.
      const w = startThread(PARSE_THREAD, null, { redactor, resourceLimits: { maxYoungGenerationSizeMb: 16, maxOldGenerationSizeMb: 32 } });
      w.onError((e) => (this.early ??= e));
      this.threads.push(w);
    }
  }

  /**
   * Runs the tasks, one task per thread at a time, in plan order; threads
   * beyond the number of tasks are stopped unused. Pieces are handed to
   * `onPiece` one after another (never concurrently); a thread gets its next
   * task only while the writer keeps up. The first failure stops everything.
   * A pool runs once.
   */
  async run(tasks: ParseTask[], onPiece: (p: Piece) => Promise<void>): Promise<void> {
    if (this.used) throw new Error('a parse pool runs once');
    this.used = true;
    if (this.early) throw this.early;
    if (!tasks.length) return;
    const workers = this.threads.slice(0, tasks.length);
    await Promise.all(this.threads.slice(tasks.length).map((w) => w.terminate()));
    try {
      await this.runOn(workers, [...tasks], onPiece);
    } finally {
      // Done with parsing: their memory goes now, not after the last commit.
      await this.close();
    }
  }

  private async runOn(workers: TypedWorker<ParseThread>[], queue: ParseTask[], onPiece: (p: Piece) => Promise<void>): Promise<void> {
    const idle: TypedWorker<ParseThread>[] = [];
    let pending = 0;
    let chain: Promise<void> = Promise.resolve();
    await new Promise<void>((resolve, reject) => {
      let running = 0;
      let failed = false;
      const fail = (e: unknown) => {
        if (failed) return;
        failed = true;
        reject(e instanceof Error ? e : new Error(String(e)));
      };
      const feed = (w: TypedWorker<ParseThread>) => {
        if (pending >= MAX_PENDING_PIECES && queue.length) {
          idle.push(w);
          return;
        }
        const task = queue.shift();
        if (!task) {
          if (--running === 0) chain.then(resolve, fail);
          return;
        }
        w.post({ type: 'task', task });
      };
      const written = () => {
        pending--;
        while (idle.length && pending < MAX_PENDING_PIECES) feed(idle.shift()!);
      };
      for (const w of workers) {
        running++;
        w.onMessage((m) => {
          if (m.type === 'piece') {
            pending++;
            chain = chain
              .then(() => (failed ? undefined : onPiece(m.piece)))
              .then(written)
              .catch((e) => fail(e));
          } else if (m.type === 'done') feed(w);
          else fail(fromThreadError(m.error, 'parsing failed'));
        });
        w.onError(fail);
        feed(w);
      }
    });
  }

  /** Stops every thread (whether it ran or not); run() does when it ends. */
  async close(): Promise<void> {
    await Promise.all(this.threads.map((w) => w.terminate()));
  }
}
