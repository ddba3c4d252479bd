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
  | { kind: 'lifecycle'; time: number; container: string; role: string | null; state: LifecycleRecord['state']; message: string | null }
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
    ...i.lifecycle.map((l): TimelineItem => ({ kind: 'lifecycle', time: l.time, container: l.containerName ?? l.containerId.slice(0, 12), role: l.role, state: l.state, message: l.message })),
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
        return { ...it, container: it.role ?? 'container', message: null };
      case 'check':
        return { ...it, output: null };
      default:
        return it;
    }
  });
}
