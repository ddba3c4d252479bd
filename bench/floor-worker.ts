/**
 * One thread of the ingest floor (floor.ts): reads its files, splits lines
 * on Buffers, JSON.parse-s each line (and the line inside a Docker record)
 * and runs the secret pre-check on it — the work no line can skip before it
 * is stored — and stores nothing. Posts the number of lines it read. The
 * reading loop is baseline.ts's, written out again rather than shared: a
 * callback per line would slow both measurements by what it costs.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { MAY_HOLD_SECRET } from '../src/redact/secret-patterns.js';

function readAll(files: string[]): number {
  const buf = Buffer.allocUnsafe(1 << 20);
  let lines = 0;
  let sink = 0;
  for (const f of files) {
    const fd = openSync(f, 'r');
    let carry = Buffer.alloc(0);
    let pos = 0;
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, pos);
      if (n === 0) break;
      pos += n;
      const chunk = carry.length ? Buffer.concat([carry, buf.subarray(0, n)]) : buf.subarray(0, n);
      let start = 0;
      for (;;) {
        const nl = chunk.indexOf(10, start);
        if (nl < 0) break;
        const text = chunk.toString('utf8', start, nl);
        const o = JSON.parse(text) as { log?: unknown; time?: unknown };
        if (typeof o.log === 'string' && o.log.charCodeAt(0) === 123) {
          try {
            if ((JSON.parse(o.log) as { time?: unknown }).time !== undefined) sink++;
          } catch {
            // PostgreSQL text or a partial record: nothing more to parse
          }
        }
        if (MAY_HOLD_SECRET.test(text)) sink++;
        lines++;
        start = nl + 1;
      }
      carry = Buffer.from(chunk.subarray(start));
    }
    closeSync(fd);
  }
  if (sink < 0) console.log(sink);
  return lines;
}

parentPort!.postMessage(readAll(workerData as string[]));
