/** Latency summaries for the bench: quantiles of a sample of durations (ms). */

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

/** Seeded PRNG (mulberry32), so a run's lookups can be repeated. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `n` items drawn uniformly (with replacement) from `from`. */
export function draw<T>(from: readonly T[], n: number, seed: number): T[] {
  const r = seeded(seed);
  return Array.from({ length: n }, () => from[Math.floor(r() * from.length)]!);
}
