/**
 * Runs SqliteStore writers in worker threads (from the built dist/), each on its
 * own connection to one file, for concurrency tests. Each writer owns a stream
 * and writes `batches` batches of `perBatch` cp lines with distinct ids, while
 * re-sending every tenth batch (a retried push) to exercise the duplicate path.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { StreamBatch } from '../../src/store/store.js';
import { cid, cpStream, StreamFixture, T0 } from '../fixtures/events.js';

const STORE_JS = path.resolve('dist/src/store/sqlite/sqlite-store.js');

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
(async () => {
  const { SqliteStore } = await import(workerData.storeUrl);
  const errors = [];
  let store;
  try {
    store = new SqliteStore(workerData.file);
  } catch (e) {
    parentPort.postMessage({ errors: [String(e && e.code) + ': ' + String(e && e.message)] });
    return;
  }
  for (let i = 0; i < workerData.batches.length; i++) {
    try {
      await store.writeBatch({ streams: [workerData.batches[i]] });
      if (i % 10 === 9) await store.writeBatch({ streams: [workerData.batches[i]] });
    } catch (e) {
      errors.push(String(e && e.code) + ': ' + String(e && e.message));
    }
  }
  await store.close();
  parentPort.postMessage({ errors });
})();
`;

export interface WritersResult {
  errors: string[];
  sampleCids: string[];
}

export async function runWriters(file: string, o: { writers: number; batches: number; perBatch: number }): Promise<WritersResult> {
  if (!existsSync(STORE_JS)) throw new Error(`${STORE_JS} is missing: build first (npx tsc -p tsconfig.json)`);
  const sampleCids: string[] = [];
  const jobs = Array.from({ length: o.writers }, (_, w) => {
    const s = new StreamFixture(cpStream(`writer-${w}`));
    const batches: StreamBatch[] = [];
    for (let b = 0; b < o.batches; b++) {
      for (let i = 0; i < o.perBatch; i++) {
        const c = cid(`w${w}-b${b}-${i}`);
        if (i === 0 && b % 25 === 0) sampleCids.push(c);
        s.cpLine({ cid: c, time: T0 + b * 1000 + i, msg: 'tick' });
      }
      batches.push(s.batch());
    }
    return new Promise<string[]>((resolve, reject) => {
      const worker = new Worker(WORKER, { eval: true, workerData: { file, batches, storeUrl: pathToFileURL(STORE_JS).href } });
      worker.once('message', (m: { errors: string[] }) => resolve(m.errors));
      worker.once('error', reject);
      worker.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`writer exited with ${code}`))));
    });
  });
  const errors = (await Promise.all(jobs)).flat();
  return { errors, sampleCids };
}
