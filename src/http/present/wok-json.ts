/** The wok report as GET /v1/diag/wok/:id answers it (operators: everything; customers: the safe subset, already cut by the report). */
import type { Freshness, WokReport } from '../../diag/wok-report.js';
import type { TimelineItem } from '../../diag/timeline.js';
import { eventJson, iso, type EventJson } from './event-view.js';

function freshnessJson(f: Freshness): Record<string, unknown> {
  switch (f.kind) {
    case 'fresh':
    case 'stale':
      return { fresh: f.kind === 'fresh', state: f.state, refreshed_at: iso(f.refreshedAt), age_s: Math.round(f.ageMs / 1000) };
    case 'missing':
      return { fresh: false, state: null, refreshed_at: null, note: 'no status row for this wok' };
    case 'not-configured':
      return { fresh: null, note: 'not configured: the status row is read from the cp database (DIAG_CP_DATABASE_URL)' };
    case 'unavailable':
      return { fresh: null, note: `the cp database did not answer: ${f.reason}` };
  }
}

function timelineJson(t: TimelineItem): Record<string, unknown> {
  const time = iso(t.time);
  switch (t.kind) {
    case 'audit':
      return { kind: t.kind, time, correlation_id: t.cid, actor: t.actor, action: t.action, outcome: t.outcome };
    case 'request':
      return { kind: t.kind, time, correlation_id: t.cid, method: t.method || null, path: t.path || null, status: t.status, code: t.code };
    case 'lifecycle':
      return { kind: t.kind, time, container: t.container, role: t.role, state: t.state, ...(t.message !== null ? { message: t.message } : {}) };
    case 'check':
      return { kind: t.kind, time, check: t.check, from: t.from, to: t.to, ...(t.output !== null ? { output: t.output } : {}) };
  }
}

export function wokJson(r: WokReport): Record<string, unknown> {
  const op = r.audience === 'operator';
  return {
    wok: {
      id: r.id,
      org: r.org,
      status: r.status,
      in_inventory: r.inInventory,
      created_at: r.createdAt !== null ? iso(r.createdAt) : null,
      functions_enabled: r.functionsEnabled,
    },
    guidance: r.guidance && r.guidance.kind === 'catalogued' ? { code: r.guidance.code, http: r.guidance.http, fix_side: r.guidance.fixSide, text: r.guidance.text } : null,
    status_freshness: freshnessJson(r.freshness),
    containers: r.containers.map((c) => ({
      role: c.role,
      ...(op ? { id: c.id, name: c.name, image: c.image } : {}),
      condition: c.state.condition,
      since: c.state.since !== null ? iso(c.state.since) : null,
      boots: c.state.boots,
      crashes: c.state.crashes,
      last_seen: c.lastSeen !== null ? iso(c.lastSeen) : null,
      ...(op && c.state.last ? { last_lifecycle_line: { time: iso(c.state.last.time), state: c.state.last.state, message: c.state.last.message } } : {}),
      ...(c.tail ? { tail: c.tail.map((e): EventJson => eventJson(e, { stack: false, raw: false })) } : {}),
    })),
    errors: r.errors.map((e) => ({
      code: e.code,
      count: e.count,
      last_seen: iso(e.lastSeen),
      sample_correlation_id: e.sampleCid,
      remediation:
        e.remediation && e.remediation.kind === 'catalogued'
          ? { catalogued: true, group: e.remediation.group, http: e.remediation.http, fix_side: e.remediation.fixSide, text: e.remediation.text }
          : { catalogued: false },
    })),
    audit: r.audits.map((a) => ({ time: iso(a.time), correlation_id: a.cid, actor: a.actor, action: a.action, outcome: a.outcome })),
    timeline: r.timeline.map(timelineJson),
    health: r.health.map((h) => ({
      check: h.check,
      segments: h.segments.map((s) => ({ status: s.status, from: iso(s.from), to: iso(s.to), ...(op && s.output ? { output: s.output } : {}) })),
    })),
    window: { from: iso(r.window.from), to: iso(r.window.to) },
  };
}
