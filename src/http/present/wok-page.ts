/** The /diag/wok/<id> page's view model: strings prepared for the template (which escapes them). */
import type { Condition } from '../../diag/container-state.js';
import type { Freshness, WokReport } from '../../diag/wok-report.js';
import type { TimelineKind } from '../../diag/timeline.js';
import { iso } from './event-view.js';
import { stripBars, type StripBar } from './diag-strip.js';
import { ago, eventRow, type EventRow } from './ticket-page.js';
import { remediationParts, type RemediationPart } from './remediation-text.js';
import { timelineView, type TimelineView } from './wok-timeline.js';

export interface WokPageModel {
  title: string;
  r: WokReport;
  operator: boolean;
  freshness: { text: string; cls: string };
  containers: {
    label: string;
    role: string;
    condition: Condition;
    cls: string;
    since: string;
    detail: string;
    lastLine: string | null;
    tail: EventRow[] | null;
  }[];
  errors: { code: string; count: number; lastSeen: string; sampleCid: string; fix: string | null; text: RemediationPart[] | null }[];
  timeline: TimelineView;
  filters: { from: string; to: string; kinds: readonly TimelineKind[]; fold: boolean; toggleFold: string; clear: string };
  health: { check: string; bars: StripBar[] }[];
  windowText: string;
}

const CONDITION_CLASS: Record<Condition, string> = {
  ready: 'ok',
  starting: 'warn',
  restarting: 'warn',
  recovering: 'warn',
  'shutting down': 'warn',
  'shut down': 'bad',
  crashed: 'bad',
  'crash-looping': 'bad',
  unknown: 'none',
};

const when = (t: number) => iso(t).replace('T', ' ').slice(0, 19);

function freshnessText(f: Freshness, now: number): { text: string; cls: string } {
  switch (f.kind) {
    case 'fresh':
    case 'stale':
      return { text: `${f.state ?? 'no state'} · refreshed ${ago(f.refreshedAt, now)} (${when(f.refreshedAt)})`, cls: f.kind === 'fresh' ? 'ok' : 'warn' };
    case 'missing':
      return { text: 'no status row: the reconciler has not written one', cls: 'warn' };
    case 'not-configured':
      return { text: 'unknown: the status row is read from the cp database, which is not configured', cls: 'none' };
    case 'unavailable':
      return { text: `unknown: the cp database did not answer (${f.reason})`, cls: 'bad' };
  }
}

export interface TimelineOptions {
  kinds: readonly TimelineKind[];
  fold: boolean;
  /** The window as the URL gave it (for the filter form), '' when not given. */
  from: string;
  to: string;
}

/** This page's URL with the timeline's filters, for links that change one of them. */
function pageHref(id: string, tl: TimelineOptions, change: Partial<TimelineOptions>): string {
  const o = { ...tl, ...change };
  const q = new URLSearchParams();
  if (o.from) q.set('from', o.from);
  if (o.to) q.set('to', o.to);
  if (o.kinds.length) q.set('kind', o.kinds.join(','));
  if (!o.fold) q.set('repeats', 'all');
  const s = q.toString();
  return `/diag/wok/${encodeURIComponent(id)}${s ? `?${s}` : ''}#timeline`;
}

export function wokPage(r: WokReport, now: number, tl: TimelineOptions = { kinds: [], fold: true, from: '', to: '' }): WokPageModel {
  const operator = r.audience === 'operator';
  return {
    title: `Wok ${r.id}`,
    r,
    operator,
    freshness: freshnessText(r.freshness, now),
    containers: r.containers.map((c) => ({
      label: operator ? `${c.name ?? c.id?.slice(0, 12) ?? '?'}` : `${c.role ?? 'container'}`,
      role: c.role ?? '—',
      condition: c.state.condition,
      cls: CONDITION_CLASS[c.state.condition],
      since: c.state.since !== null ? `${when(c.state.since)} (${ago(c.state.since, now)})` : '—',
      detail: `${c.state.boots} boot${c.state.boots === 1 ? '' : 's'}${c.state.crashes ? `, ${c.state.crashes} crash${c.state.crashes === 1 ? '' : 'es'}` : ''} in the logs`,
      lastLine: operator && c.state.last ? `${when(c.state.last.time)} ${c.state.last.message}` : null,
      tail: c.tail ? c.tail.map((e) => eventRow(e, now)) : null,
    })),
    errors: r.errors.map((e) => ({
      code: e.code,
      count: e.count,
      lastSeen: `${when(e.lastSeen)} (${ago(e.lastSeen, now)})`,
      sampleCid: e.sampleCid,
      fix: e.remediation?.kind === 'catalogued' ? e.remediation.fixSide : null,
      text: e.remediation?.text ? remediationParts(e.remediation.text, e.remediation.kind === 'catalogued' ? r.id : null) : null,
    })),
    timeline: timelineView(r.id, r.timeline, { now, operator, kinds: tl.kinds, fold: tl.fold }),
    filters: { from: tl.from, to: tl.to, kinds: tl.kinds, fold: tl.fold, toggleFold: pageHref(r.id, tl, { fold: !tl.fold }), clear: pageHref(r.id, tl, { kinds: [], from: '', to: '' }) },
    health: r.health.map((h) => ({ check: h.check, bars: stripBars(h.segments, r.window.from, r.window.to, operator) })),
    windowText: `${when(r.window.from)} – ${when(r.window.to)} UTC`,
  };
}
