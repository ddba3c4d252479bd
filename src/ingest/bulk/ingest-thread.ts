/**
 * The thread a bulk ingest runs on: it opens its own connection, starts the
 * parser threads and writes (bulk-ingest.ts). Running it off the process's
 * main thread lets its heap be capped (resourceLimits in run-ingest-thread.ts):
 * pieces handed over by the parser threads are garbage once written, and a
 * capped heap collects them early instead of growing for the whole run.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { setExtraPatterns } from '../../redact/redact.js';
import { SqliteStore } from '../../store/sqlite/sqlite-store.js';
import { bulkIngest } from './bulk-ingest.js';
import type { IngestThreadInput, IngestThreadMessage } from './run-ingest-thread.js';

const port = parentPort!;
const input = workerData as IngestThreadInput;

async function run(): Promise<void> {
  setExtraPatterns(input.patterns.map((p) => new RegExp(p, 'g')));
  const store = new SqliteStore(input.db);
  try {
    let last = 0;
    const report = await bulkIngest(store, input.paths, {
      ...input.options,
      onProgress: (bytes, lines, total) => {
        const now = performance.now();
        if (now - last < 200) return;
        last = now;
        port.postMessage({ type: 'progress', bytes, lines, total } satisfies IngestThreadMessage);
      },
    });
    port.postMessage({ type: 'done', report } satisfies IngestThreadMessage);
  } finally {
    await store.close();
  }
}

run().catch((e: unknown) => {
  const err = e as Error & { reason?: string };
  port.postMessage({ type: 'error', name: err.name ?? 'Error', message: err.message ?? String(e), reason: err.reason ?? null } satisfies IngestThreadMessage);
});
