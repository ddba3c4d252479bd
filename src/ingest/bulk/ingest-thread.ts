/**
 * The thread a bulk ingest runs on: it opens its own connection to the store
 * (a SQLite file or a PostgreSQL schema, open-store.ts), starts the
 * parser threads and writes (bulk-ingest.ts). Running it off the process's
 * main thread lets its heap be capped (resourceLimits in run-ingest-thread.ts):
 * pieces handed over by the parser threads are garbage once written, and a
 * capped heap collects them early instead of growing for the whole run.
 */
import { openStore } from '../../store/open-store.js';
import { toThreadError } from '../../threads/thread-error.js';
import { openThreadPort } from '../../threads/thread-port.js';
import { bulkIngest } from './bulk-ingest.js';
import type { IngestThread } from './run-ingest-thread.js';

const port = openThreadPort<IngestThread>();
const input = port.data;

async function run(): Promise<void> {
  const store = await openStore(input.target);
  try {
    let last = 0;
    const report = await bulkIngest(store, input.paths, {
      ...input.options,
      onProgress: (bytes, lines, total) => {
        const now = performance.now();
        if (now - last < 200) return;
        last = now;
        port.post({ type: 'progress', bytes, lines, total });
      },
    });
    port.post({ type: 'done', report });
  } finally {
    await store.close();
  }
}

run().catch((e: unknown) => port.post({ type: 'error', error: toThreadError(e) }));
