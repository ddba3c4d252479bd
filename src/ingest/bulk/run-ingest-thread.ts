/**
 * Runs a bulk ingest on a thread of its own with a capped heap (see
 * ingest-thread.ts), relaying its progress, and turning its failures back into
 * the errors the CLI knows (a missing path, a full or read-only store).
 */
import { Worker } from 'node:worker_threads';
import { compiledModule } from '../../project-root.js';
import { extraPatternSources } from '../../redact/redact.js';
import { StoreError } from '../../store/store.js';
import type { IngestReport } from '../ingest-paths.js';
import { InputError } from '../readers/discover.js';
import type { BulkOptions } from './bulk-ingest.js';

/** Old-generation cap of the ingest thread (MiB): its live data is a few pieces in flight, far below this. */
export const INGEST_THREAD_HEAP_MB = 48;

export interface IngestThreadInput {
  db: string;
  paths: string[];
  options: Partial<Omit<BulkOptions, 'onProgress'>>;
  patterns: string[];
}

export type IngestThreadMessage =
  | { type: 'progress'; bytes: number; lines: number; total: number | undefined }
  | { type: 'done'; report: IngestReport }
  | { type: 'error'; name: string; message: string; reason: string | null };

export function bulkIngestOnThread(db: string, paths: readonly string[], opts: Partial<BulkOptions> = {}): Promise<IngestReport> {
  const { onProgress, ...options } = opts;
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  const input: IngestThreadInput = { db, paths: [...paths], options, patterns: extraPatternSources() };
  const worker = new Worker(compiledModule(new URL(`./ingest-thread${ext}`, import.meta.url).href), {
    workerData: input,
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
    worker.on('message', (m: IngestThreadMessage) => {
      if (m.type === 'progress') onProgress?.(m.bytes, m.lines, m.total);
      else if (m.type === 'done') settle(() => resolve(m.report));
      else settle(() => reject(rebuild(m)));
    });
    worker.on('error', (e) => settle(() => reject(e)));
    worker.on('exit', (code) => settle(() => reject(new Error(`the ingest thread stopped (exit code ${code}) before finishing`))));
  });
}

function rebuild(m: Extract<IngestThreadMessage, { type: 'error' }>): Error {
  if (m.name === 'InputError') return new InputError(m.message);
  if (m.name === 'StoreError') return new StoreError(m.message, (m.reason ?? 'other') as StoreError['reason']);
  return Object.assign(new Error(m.message), { name: m.name });
}
