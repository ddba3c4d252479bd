/**
 * The thread a bulk ingest runs on: it opens its own connection to the store
 * (a SQLite file or a PostgreSQL schema, open-store.ts), starts the
 * parser threads and writes (bulk-ingest.ts). Running it off the process's
 * main thread lets its heap be capped (resourceLimits in run-ingest-thread.ts):
 * pieces handed over by the parser threads are garbage once written, and a
 * capped heap collects them early instead of growing for the whole run.
 *
 * Start-up is a chain of module loads: the parser threads are started first,
 * so their loading overlaps this thread's own (the store's modules are
 * imported after they start) and the opening of the store. The store is
 * closed before the report goes back: the run has ended once its last commit
 * is on file and the connection let go.
 */
import { toThreadError } from '../../threads/thread-error.js';
import { openThreadPort } from '../../threads/thread-port.js';
import { defaultParseThreads, ParsePool } from './parse-pool.js';
import type { IngestThread } from './run-ingest-thread.js';

const port = openThreadPort<IngestThread>();
const input = port.data;
const pool = new ParsePool(input.options.workers ?? defaultParseThreads(), port.redactor);

async function run(): Promise<void> {
  const [{ openStore }, { bulkIngest }] = await Promise.all([import('../../store/open-store.js'), import('./bulk-ingest.js')]);
  const store = await openStore(input.target, { redactor: port.redactor });
  let report;
  try {
    let last = 0;
    report = await bulkIngest(
      store,
      input.paths,
      {
        ...input.options,
        onProgress: (bytes, lines, total) => {
          const now = performance.now();
          if (now - last < 200) return;
          last = now;
          port.post({ type: 'progress', bytes, lines, total });
        },
      },
      pool,
    );
  } finally {
    await pool.close();
    await store.close();
  }
  port.post({ type: 'done', report });
}

run().catch(async (e: unknown) => {
  await pool.close();
  port.post({ type: 'error', error: toThreadError(e) });
});
