/**
 * The baseline the issue names: one thread reading each file, splitting lines
 * on Buffers and JSON.parse-ing each. What a plain NDJSON reader costs.
 */
import { closeSync, openSync, readSync } from 'node:fs';

export function baseline(files: string[]): { lines: number; bytes: number; seconds: number } {
  const t0 = performance.now();
  const buf = Buffer.allocUnsafe(1 << 20);
  let lines = 0;
  let bytes = 0;
  let sink = 0;
  for (const f of files) {
    const fd = openSync(f, 'r');
    let carry = Buffer.alloc(0);
    let pos = 0;
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, pos);
      if (n === 0) break;
      pos += n;
      bytes += n;
      const chunk = carry.length ? Buffer.concat([carry, buf.subarray(0, n)]) : buf.subarray(0, n);
      let start = 0;
      for (;;) {
        const nl = chunk.indexOf(10, start);
        if (nl < 0) break;
        const o = JSON.parse(chunk.toString('utf8', start, nl)) as { time?: unknown };
        if (o.time !== undefined) sink++;
        lines++;
        start = nl + 1;
      }
      carry = Buffer.from(chunk.subarray(start));
    }
    closeSync(fd);
  }
  if (sink < 0) console.log(sink);
  return { lines, bytes, seconds: (performance.now() - t0) / 1000 };
}
