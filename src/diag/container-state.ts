/**
 * A container's current condition, read from the lifecycle lines of its own
 * log (PostgreSQL's start / ready / shutdown / crash messages, the functions
 * runtime's listen and shutdown lines): ready, starting, restarting, shutting
 * down, shut down, crashed, or crash-looping (booted loopStarts times within
 * loopWindowMs), and since when.
 */
import type { LifecycleRecord } from '../model/activity.js';
import type { Lifecycle } from '../model/event.js';

export type Condition = 'ready' | 'starting' | 'restarting' | 'recovering' | 'shutting down' | 'shut down' | 'crashed' | 'crash-looping' | 'unknown';

export interface ContainerState {
  condition: Condition;
  /**
   * When it entered this condition (epoch ms), if known. For a crash loop,
   * when it stopped serving: the first line after its last good run, which
   * does not move as the loop goes on.
   */
  since: number | null;
  /** Boots since `since` (a crash loop's restarts so far). */
  bootsSince: number;
  /** Boots seen (a run of start lines is one boot), and crashes. */
  boots: number;
  crashes: number;
  /** The newest lifecycle line. */
  last: LifecycleRecord | null;
}

/** Conditions that mean the container is not serving. */
export const DOWN: ReadonlySet<Condition> = new Set(['shut down', 'crashed', 'crash-looping']);

const BOOTING: ReadonlySet<Lifecycle> = new Set(['start', 'recovery']);

export interface LoopRule {
  loopStarts: number;
  loopWindowMs: number;
}

/** `records` in any order (the store answers newest first). */
export function containerState(records: readonly LifecycleRecord[], now: number, rule: LoopRule): ContainerState {
  const rs = [...records].sort((a, b) => a.time - b.time);
  const last = rs[rs.length - 1] ?? null;
  if (!last) return { condition: 'unknown', since: null, bootsSince: 0, boots: 0, crashes: 0, last: null };
  const boots: number[] = [];
  const crashes: number[] = [];
  let prev: Lifecycle | null = null;
  for (const r of rs) {
    // Consecutive start lines ("starting PostgreSQL", "database system was shut down at …") are one boot.
    if (r.state === 'start' && prev !== 'start') boots.push(r.time);
    if (r.state === 'crash' && prev !== 'crash') crashes.push(r.time);
    prev = r.state;
  }
  const recentBoots = boots.filter((t) => t >= now - rule.loopWindowMs);
  const recentCrashes = crashes.filter((t) => t >= now - rule.loopWindowMs);
  const base = { boots: boots.length, crashes: crashes.length, last };
  const at = (since: number) => ({ since, bootsSince: boots.filter((t) => t >= since).length });
  if (recentBoots.length >= rule.loopStarts || recentCrashes.length >= rule.loopStarts) {
    return { ...base, condition: 'crash-looping', ...at(loopStart(rs, [...boots, ...crashes], rule.loopWindowMs)) };
  }
  // Start of the current run of lines in the newest state (or of the booting run).
  let i = rs.length - 1;
  const booting = BOOTING.has(last.state);
  while (i > 0 && (booting ? BOOTING.has(rs[i - 1]!.state) : rs[i - 1]!.state === last.state)) i--;
  const since = rs[i]!.time;
  switch (last.state) {
    case 'ready':
      return { ...base, condition: 'ready', ...at(since) };
    case 'start':
    case 'recovery':
      return { ...base, condition: i > 0 ? (last.state === 'recovery' ? 'recovering' : 'restarting') : 'starting', ...at(since) };
    case 'stopping':
      return { ...base, condition: 'shutting down', ...at(since) };
    case 'shutdown':
      return { ...base, condition: 'shut down', ...at(since) };
    case 'crash':
      return { ...base, condition: 'crashed', ...at(since) };
  }
}

/**
 * Where a crash loop began: the run of boots and crashes, each within
 * windowMs of the next, that reaches the newest one; then back over the
 * lines before it that are not "ready" (the shutdown that started it),
 * within windowMs. It does not move while the loop lasts.
 */
function loopStart(rs: readonly LifecycleRecord[], marks: number[], windowMs: number): number {
  const ts = [...marks].sort((a, b) => a - b);
  let k = ts.length - 1;
  while (k > 0 && ts[k]! - ts[k - 1]! <= windowMs) k--;
  const first = ts[k]!;
  let j = rs.findIndex((r) => r.time >= first);
  while (j > 0 && rs[j - 1]!.state !== 'ready' && first - rs[j - 1]!.time <= windowMs) j--;
  return rs[j]!.time;
}
