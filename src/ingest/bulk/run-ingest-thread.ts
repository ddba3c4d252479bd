/**
 * Runs a bulk ingest on a thread of its own with a capped heap (see
 * ingest-thread.ts), relaying its progress; its failures come back by their
 * DIAG_… code (a missing path, a full or read-only store), so the CLI answers
 * them as it would inline.
 */
import { extraPatterns } from '../../redact/redact.js';
import { fromThreadError, type ThreadError } from '../../threads/thread-error.js';
import { startThread, threadEntry, type ThreadProtocol } from '../../threads/typed-worker.js';
import type { IngestReport } from '../ingest-paths.js';
import type { BulkOptions } from './bulk-ingest.js';

/** Old-generation cap of the ingest thread (MiB): its live data is a few pieces in flight, far below this. */
export const INGEST_THREAD_HEAP_MB = 48;

export interface IngestThreadInput {
  /** The store, as --db names it: a SQLite file or a postgres:// URL. */
  target: string;
  paths: string[];
  options: Partial<Omit<BulkOptions, 'onProgress'>>;
}

export type IngestThreadMessage =
  | { type: 'progress'; bytes: number; lines: number; total: number | undefined }
  | { type: 'done'; report: IngestReport }
  | { type: 'error'; error: ThreadError };

export type IngestThread = ThreadProtocol<IngestThreadInput, never, IngestThreadMessage>;

const INGEST_THREAD = threadEntry<IngestThread>(import.meta.url, 'ingest-thread');

export function bulkIngestOnThread(target: string, paths: readonly string[], opts: Partial<BulkOptions> = {}): Promise<IngestReport> {
  const { onProgress, ...options } = opts;
  const worker = startThread(INGEST_THREAD, { target, paths: [...paths], options }, {
    redact: extraPatterns(),
    resourceLimits: { maxOldGenerationSizeMb: INGEST_THREAD_HEAP_MB, maxYoungGenerationSizeMb: 16 },
  });
  return new Promise<IngestReport>((resolve, reject) => {
    let settled = false;
    const settle = (f: () => void) => {
      if (settled) return;
      settled = true;
      f();
      void worker.terminate();
    };
    worker.onMessage((m) => {
      if (m.type === 'progress') onProgress?.(m.bytes, m.lines, m.total);
      else if (m.type === 'done') settle(() => resolve(m.report));
      else settle(() => reject(fromThreadError(m.error)));
    });
    worker.onError((e) => settle(() => reject(e)));
    worker.onceExit((code) => settle(() => reject(new Error(`the ingest thread stopped (exit code ${code}) before finishing`))));
  });
}
