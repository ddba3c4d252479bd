/**
 * Bulk ingest into any store, on every core: parser threads read, split,
 * parse, redact and encode (parse-task.ts); this thread only hands the store
 * what they prepared (writePrepared), committing each stream's pieces in
 * order with their checkpoints (ordered-writer.ts), within the bounds the
 * store sets (bulkLimits) and inside its bulk session (bulkSession). Same
 * results as the one-thread path (ingest-paths.ts), which stdin still uses.
 */
import { availableParallelism } from 'node:os';
import type { Source } from '../../model/event.js';
import type { Redactor } from '../../redact/redactor.js';
import type { Store } from '../../store/store.js';
import { fromThreadError } from '../../threads/thread-error.js';
import { startThread, threadEntry, type TypedWorker } from '../../threads/typed-worker.js';
import type { IngestReport, PathIngestOptions } from '../ingest-paths.js';
import { discover } from '../readers/discover.js';
import { DEFAULT_INGEST, type StreamReport } from '../stream-ingester.js';
import { OrderedWriter } from './ordered-writer.js';
import { planTasks } from './plan-tasks.js';
import type { ParseTask, ParseThread, Piece } from './tasks.js';

export interface BulkOptions extends PathIngestOptions {
  /** Parser threads (default: one per core). */
  workers: number;
  /** Bytes per range of a large file. */
  rangeBytes: number;
  /** Ready lines that make a transaction (the store's bulkLimits may lower it, and bound each transaction). */
  commitLines: number;
  /** Lines per piece a parser thread hands over (small pieces keep its memory young; the store's bulkLimits may lower it). */
  pieceLines: number;
}

// commitLines: pieces wait on this thread until a transaction takes them; fewer lines per commit keep them young,
// so they are not promoted to the old generation and this thread's heap stays small (peak RSS ~530 → ~330 MB on
// the 1M-line bench corpus together with the settings below, at the same speed), at the cost of 3× more cid segments.
export const DEFAULT_BULK = { workers: Math.max(1, availableParallelism()), rangeBytes: 8 * 1024 * 1024, commitLines: 16_000, pieceLines: 4000 };

function emptyReport(): IngestReport {
  return { streams: [], skipped: [], warnings: [], events: { cp: 0, container: 0, audit: 0 }, stored: 0, unparsed: 0, duplicates: 0, lines: 0, bytes: 0, seconds: 0 };
}

export async function bulkIngest(store: Store, paths: readonly string[], opts: Partial<BulkOptions> = {}): Promise<IngestReport> {
  const o: BulkOptions = { ...DEFAULT_INGEST, ...DEFAULT_BULK, final: false, ...opts };
  const limits = store.bulkLimits();
  if (limits) {
    o.pieceLines = Math.min(o.pieceLines, limits.pieceLines);
    o.commitLines = Math.min(o.commitLines, limits.commitLines);
  }
  const started = performance.now();
  const plan = await planTasks(store, discover(paths), { ...o, batchLines: o.pieceLines });
  const report = emptyReport();
  report.skipped = plan.skipped;
  report.warnings = plan.warnings;
  const perStream = new Map<string, StreamReport>();
  for (const s of plan.streams) {
    perStream.set(s.stream.key, { stream: s.stream.key, path: s.stream.path, lines: 0, bytes: 0, parsed: { cp: 0, container: 0, audit: 0 }, stored: 0, unparsed: 0, duplicates: 0, invalidUtf8: 0, truncated: 0, pendingBytes: 0 });
  }
  const streamOfTask = new Map<number, string>();
  for (const t of plan.tasks) streamOfTask.set(t.id, t.stream.key);

  // A store without limits (SQLite) takes everything ready at once: fewer, larger cid segments.
  const writer = new OrderedWriter(plan.streams, (streams) => store.writePrepared({ streams }), o.commitLines, limits?.commitLines ?? null);
  const account = (p: Piece) => {
    const r = perStream.get(streamOfTask.get(p.task)!)!;
    const c = p.counts;
    r.lines += c.lines;
    r.bytes += c.bytes;
    r.unparsed += c.unparsed;
    r.invalidUtf8 += c.invalidUtf8;
    r.truncated += c.truncated;
    if (p.last) r.pendingBytes = p.pendingBytes;
    for (const k of Object.keys(c.parsed) as Source[]) r.parsed[k] += c.parsed[k];
    report.lines += c.lines;
    report.bytes += c.bytes;
    o.onProgress?.(report.bytes, report.lines, plan.bytes);
  };

  await store.bulkSession(async () => {
    await runPool(plan.tasks, Math.min(o.workers, Math.max(1, plan.tasks.length)), store.redactor, async (p) => {
      account(p);
      await writer.add(p);
    });
    await writer.flush();
  });

  report.streams = [...perStream.values()];
  for (const s of report.streams) {
    for (const k of Object.keys(s.parsed) as Source[]) report.events[k] += s.parsed[k];
    report.unparsed += s.unparsed;
  }
  const parsedTotal = report.events.cp + report.events.container + report.events.audit;
  report.stored = writer.stored;
  report.duplicates = parsedTotal - writer.stored;
  report.seconds = (performance.now() - started) / 1000;
  return report;
}

const PARSE_THREAD = threadEntry<ParseThread>(import.meta.url, 'parse-worker');

/** Pieces received but not yet written before parser threads are held back: memory stays bounded whatever the input. */
const MAX_PENDING_PIECES = 2;

/**
 * Runs the tasks on `n` parser threads, one task per thread at a time, in
 * plan order. Pieces are handed to `onPiece` one after another (never
 * concurrently); a thread gets its next task only while the writer keeps up.
 * The first failure stops everything.
 */
async function runPool(tasks: ParseTask[], n: number, redactor: Redactor, onPiece: (p: Piece) => Promise<void>): Promise<void> {
  if (!tasks.length) return;
  const queue = [...tasks];
  const workers: TypedWorker<ParseThread>[] = [];
  const idle: TypedWorker<ParseThread>[] = [];
  let pending = 0;
  let chain: Promise<void> = Promise.resolve();
  try {
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
      for (let i = 0; i < n; i++) {
        // A 16 MB young generation lets most of a piece's events die young; 32 MB was not measurably faster
        // on the bench and cost ~20 MB more RSS per thread.
        const w = startThread(PARSE_THREAD, null, { redactor, resourceLimits: { maxYoungGenerationSizeMb: 16, maxOldGenerationSizeMb: 32 } });
        workers.push(w);
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
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
