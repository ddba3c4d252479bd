/**
 * The ingest floor: how fast the work every line needs before it can be
 * stored — split, JSON.parse (also of the line inside a Docker record) and
 * the secret pre-check — runs on every core of this machine, storing nothing.
 * No ingest that parses, validates and redacts each line can beat it, so its
 * ratio to the baseline bounds the ingest ratio from above.
 */
import { statSync } from 'node:fs';
import { Worker } from 'node:worker_threads';

export interface FloorResult {
  threads: number;
  lines: number;
  seconds: number;
  linesPerSecond: number;
}

/** Whole files shared out over `threads` threads, largest first onto the least loaded. */
export function shareFiles(files: readonly string[], threads: number): string[][] {
  const shares = Array.from({ length: Math.max(1, threads) }, () => ({ files: [] as string[], bytes: 0 }));
  const sized = files.map((f) => ({ f, size: statSync(f).size })).sort((a, b) => b.size - a.size);
  for (const { f, size } of sized) {
    const s = shares.reduce((a, b) => (b.bytes < a.bytes ? b : a));
    s.files.push(f);
    s.bytes += size;
  }
  return shares.map((s) => s.files).filter((x) => x.length);
}

export async function ingestFloor(files: readonly string[], threads: number): Promise<FloorResult> {
  const shares = shareFiles(files, threads);
  const t0 = performance.now();
  const counts = await Promise.all(
    shares.map(
      (share) =>
        new Promise<number>((resolve, reject) => {
          const w = new Worker(new URL('./floor-worker.js', import.meta.url), { workerData: share });
          w.once('message', (n: number) => resolve(n));
          w.once('error', reject);
        }),
    ),
  );
  const seconds = (performance.now() - t0) / 1000;
  const lines = counts.reduce((a, b) => a + b, 0);
  return { threads: shares.length, lines, seconds, linesPerSecond: lines / seconds };
}
