/**
 * One wok's timeline: who changed what (audit actions), requests that
 * failed, its containers' lifecycle lines, and the subsystems' state changes,
 * merged newest first — so "errors started right after this env change / db
 * restart" reads at a glance.
 */
import type { AuditRecord, LifecycleRecord } from '../model/activity.js';
import type { CheckStatus } from '../model/health.js';
import type { RequestSummary } from '../model/request.js';
import type { Change } from './history.js';

export type TimelineItem =
  | { kind: 'audit'; time: number; cid: string | null; actor: string | null; action: string; outcome: string | null }
  | { kind: 'request'; time: number; cid: string; method: string; path: string; status: number; code: string | null }
  | { kind: 'lifecycle'; time: number; container: string; containerId: string | null; role: string | null; state: LifecycleRecord['state']; message: string | null }
  | { kind: 'check'; time: number; check: string; from: CheckStatus | null; to: CheckStatus; output: string | null };

export interface TimelineInput {
  audits: readonly AuditRecord[];
  failed: readonly RequestSummary[];
  lifecycle: readonly LifecycleRecord[];
  changes: readonly Change[];
}

/** Newest first; ties keep a cause before its effect (lifecycle and audit above the request they explain). */
export function timeline(i: TimelineInput, limit: number): TimelineItem[] {
  const items: TimelineItem[] = [
    ...i.audits.map((a): TimelineItem => ({ kind: 'audit', time: a.time, cid: a.cid, actor: a.actor, action: a.action, outcome: a.outcome })),
    ...i.failed.map((r): TimelineItem => ({ kind: 'request', time: r.time, cid: r.cid, method: r.method, path: r.path, status: r.status, code: r.code })),
    ...i.lifecycle.map((l): TimelineItem => ({ kind: 'lifecycle', time: l.time, container: l.containerName ?? l.containerId.slice(0, 12), containerId: l.containerId, role: l.role, state: l.state, message: l.message })),
    ...i.changes.map((c): TimelineItem => ({ kind: 'check', time: c.time, check: c.check, from: c.from, to: c.to, output: c.output })),
  ];
  const rank = { request: 0, check: 1, audit: 2, lifecycle: 3 } as const;
  items.sort((a, b) => b.time - a.time || rank[a.kind] - rank[b.kind]);
  return items.slice(0, limit);
}

/** The customer's version: no container names or log text, no check outputs. */
export function customerTimeline(items: readonly TimelineItem[]): TimelineItem[] {
  return items.map((it) => {
    switch (it.kind) {
      case 'lifecycle':
        return { ...it, container: it.role ?? 'container', containerId: null, message: null };
      case 'check':
        return { ...it, output: null };
      default:
        return it;
    }
  });
}

export const TIMELINE_KINDS = ['request', 'audit', 'lifecycle', 'check'] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];

/** Only the kinds asked for (all when none is), at most `limit`, order kept. */
export function filterTimeline(items: readonly TimelineItem[], kinds: readonly TimelineKind[], limit: number): TimelineItem[] {
  const keep = kinds.length ? new Set<string>(kinds) : null;
  return (keep ? items.filter((t) => keep.has(t.kind)) : items).slice(0, limit);
}

type LifecycleItem = Extract<TimelineItem, { kind: 'lifecycle' }>;

/** One container going round the same states again and again ("crash ↔ start ×36"), shown as one row. */
export interface RepeatRun {
  kind: 'repeat';
  container: string;
  containerId: string | null;
  role: string | null;
  /** The states of the run, newest first as they alternate: ['crash', 'start']. */
  states: LifecycleItem['state'][];
  /** How many times the most frequent state came round. */
  count: number;
  /** Oldest and newest member. */
  from: number;
  to: number;
  /** Newest first, as in the timeline. */
  members: LifecycleItem[];
}

export type TimelineRow = TimelineItem | RepeatRun;

/** Shortest run worth folding: the same two states twice over. */
const MIN_RUN = 4;

const sameLine = (a: LifecycleItem, b: LifecycleItem) => a.state === b.state && a.message === b.message;

/**
 * Folds each container's repeats into one row where the run's newest line
 * was. A run is a stretch of one container's lifecycle lines (whatever other
 * rows sit between them) in which every line is the same state and message
 * as a line two or fewer lines earlier in the run — so a crash loop folds,
 * a single restart (stopping, start, ready) does not. Other rows keep their
 * order below the folded row, so the change that set the loop off is near
 * the top instead of under it.
 */
export function collapseRepeats(items: readonly TimelineItem[]): TimelineRow[] {
  const byContainer = new Map<string, { item: LifecycleItem; index: number }[]>();
  items.forEach((item, index) => {
    if (item.kind !== 'lifecycle') return;
    const key = item.containerId ?? item.container;
    const list = byContainer.get(key) ?? [];
    list.push({ item, index });
    byContainer.set(key, list);
  });
  const runAt = new Map<number, RepeatRun>();
  const folded = new Set<number>();
  for (const list of byContainer.values()) {
    let start = 0;
    while (start < list.length) {
      // Extend while each line repeats one of the two lines before it (a period of 1 or 2).
      let end = start + 1;
      while (end < list.length) {
        const cur = list[end]!.item;
        const k = end - start;
        const inRun = k === 1 || sameLine(cur, list[end - 1]!.item) || sameLine(cur, list[end - 2]!.item);
        if (!inRun) break;
        end++;
      }
      // A run must really repeat: every distinct line at least twice.
      const members = list.slice(start, end).map((x) => x.item);
      const counts = new Map<string, number>();
      for (const m of members) counts.set(`${m.state}\0${m.message}`, (counts.get(`${m.state}\0${m.message}`) ?? 0) + 1);
      if (members.length >= MIN_RUN && [...counts.values()].every((n) => n >= 2)) {
        const first = members[0]!;
        runAt.set(list[start]!.index, {
          kind: 'repeat',
          container: first.container,
          containerId: first.containerId,
          role: first.role,
          states: [...new Set(members.map((m) => m.state))],
          count: Math.max(...counts.values()),
          from: members[members.length - 1]!.time,
          to: first.time,
          members,
        });
        for (let i = start; i < end; i++) folded.add(list[i]!.index);
        start = end;
      } else {
        start++;
      }
    }
  }
  const out: TimelineRow[] = [];
  items.forEach((item, index) => {
    const run = runAt.get(index);
    if (run) out.push(run);
    else if (!folded.has(index)) out.push(item);
  });
  return out;
}
