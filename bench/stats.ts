/** Latency summaries for the bench: quantiles of a sample of durations (ms). */
import { Prng } from '../scripts/demo/prng.js';

export interface Latency {
  n: number;
  p50: number;
  p99: number;
  max: number;
  mean: number;
}

/** The q-quantile of an ascending array (nearest rank). */
export function quantile(sorted: readonly number[], q: number): number {
  if (!sorted.length) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i]!;
}

export function latency(samples: readonly number[]): Latency {
  const s = [...samples].sort((a, b) => a - b);
  const sum = s.reduce((a, b) => a + b, 0);
  return { n: s.length, p50: quantile(s, 0.5), p99: quantile(s, 0.99), max: s[s.length - 1] ?? NaN, mean: s.length ? sum / s.length : NaN };
}

/** Seeded PRNG (the demo's mulberry32), so a corpus and a run's lookups can be repeated. */
export function seeded(seed: number): () => number {
  const p = new Prng(seed);
  return () => p.next();
}

/** `n` items drawn uniformly (with replacement) from `from`. */
export function draw<T>(from: readonly T[], n: number, seed: number): T[] {
  const r = seeded(seed);
  return Array.from({ length: n }, () => from[Math.floor(r() * from.length)]!);
}
