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
  /** When it entered this condition (epoch ms), if known. */
  since: number | null;
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
  if (!last) return { condition: 'unknown', since: null, boots: 0, crashes: 0, last: null };
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
  if (recentBoots.length >= rule.loopStarts || recentCrashes.length >= rule.loopStarts) {
    return { ...base, condition: 'crash-looping', since: Math.min(recentBoots[0] ?? Infinity, recentCrashes[0] ?? Infinity) };
  }
  // Start of the current run of lines in the newest state (or of the booting run).
  let i = rs.length - 1;
  const booting = BOOTING.has(last.state);
  while (i > 0 && (booting ? BOOTING.has(rs[i - 1]!.state) : rs[i - 1]!.state === last.state)) i--;
  const since = rs[i]!.time;
  switch (last.state) {
    case 'ready':
      return { ...base, condition: 'ready', since };
    case 'start':
    case 'recovery':
      return { ...base, condition: i > 0 ? (last.state === 'recovery' ? 'recovering' : 'restarting') : 'starting', since };
    case 'stopping':
      return { ...base, condition: 'shutting down', since };
    case 'shutdown':
      return { ...base, condition: 'shut down', since };
    case 'crash':
      return { ...base, condition: 'crashed', since };
  }
}
