/**
 * The /diag page's view model: a one-line summary, every subsystem's status
 * now (failing first, "not configured" last), its readings (operators), a
 * strip of its recent history, and what changed since the last look
 * (`?since=`, which the page's refresh carries forward).
 */
import type { CheckOutcome } from '../../diag/check.js';
import type { HealthView } from '../../diag/health-json.js';
import { recordsOf } from '../../diag/health-loop.js';
import { inPageOrder, platformSummary, readingsInOrder, standingOf, type SummaryGroup } from '../../diag/platform-summary.js';
import { valueNote, valueText } from '../../diag/units.js';
import { changes, segments, type Change, type Segment } from '../../diag/history.js';
import type { CheckRecord } from '../../model/health.js';
import { iso } from './event-view.js';
import { ago } from './ticket-page.js';
import { stripBars, type StripBar } from './diag-strip.js';
import { affectedView, type AffectedView } from './diag-affected.js';
import type { Affected } from '../../diag/affected-orgs.js';

export interface DiagPageCheck {
  name: string;
  description: string;
  status: string;
  /** The status, or "not configured" for a warning that only says that. */
  standing: string;
  checkedAgo: string;
  durationMs: number;
  readings: { key: string; componentId: string | null; value: string; note: string | null; status: string; output: string | null; links: { rel: string; href: string; title: string }[] }[];
  strip: StripBar[];
  /** Under a failing check, for operators: the orgs its codes hit. */
  affected: AffectedView | null;
}

export interface DiagChangeRow {
  time: string;
  ago: string;
  check: string;
  from: string;
  to: string;
  output: string | null;
  isNew: boolean;
}

export interface DiagPageModel {
  title: string;
  status: string;
  summary: { line: string; groups: SummaryGroup[] };
  view: HealthView;
  now: number;
  nowText: string;
  since: number | null;
  sinceText: string | null;
  refreshSeconds: number;
  checks: DiagPageCheck[];
  newChanges: DiagChangeRow[];
  recentChanges: DiagChangeRow[];
  stripFrom: string;
}

export interface DiagPageInput {
  outcomes: readonly CheckOutcome[];
  descriptions: Record<string, string>;
  /** Stored results from `stripFrom` (and a little before) to now. */
  history: readonly CheckRecord[];
  view: HealthView;
  now: number;
  since: number | null;
  stripFromMs: number;
  maxGapMs: number;
  refreshSeconds: number;
  /** Per failing check (operators only). */
  affected?: Record<string, Affected>;
}

function changeRow(c: Change, now: number, since: number | null, full: boolean): DiagChangeRow {
  return {
    time: iso(c.time).replace('T', ' ').slice(0, 19),
    ago: ago(c.time, now),
    check: c.check,
    from: c.from ?? '—',
    to: c.to,
    output: full ? c.output : null,
    isNew: since !== null && c.time > since,
  };
}

export function diagPage(i: DiagPageInput): DiagPageModel {
  const full = i.view === 'full';
  const summary = platformSummary(i.outcomes);
  const status = summary.status;
  // The live results count as the newest reading, so a change shows before the loop stores it.
  const records = [...i.history, ...recordsOf(i.outcomes)];
  const all = changes(records).filter((c) => c.from !== null);
  const checks: DiagPageCheck[] = inPageOrder(i.outcomes).map((o) => ({
    name: o.check,
    description: i.descriptions[o.check] ?? '',
    status: o.status,
    standing: standingOf(o),
    checkedAgo: ago(o.time, i.now),
    durationMs: o.durationMs,
    readings: full
      ? readingsInOrder(o.measurements).map((m) => ({
          key: `${o.check}:${m.measurement}`,
          componentId: m.componentId ?? null,
          value: valueText(m.observedValue, m.observedUnit, m.context),
          note: valueNote(m.observedValue, m.context),
          status: m.status,
          output: m.output ?? null,
          links: (m.links ?? []).map((l) => ({ rel: l.rel, href: l.href, title: l.title })),
        }))
      : [],
    strip: stripBars(segments(records.filter((r) => r.check === o.check), i.stripFromMs, i.now, { maxGapMs: i.maxGapMs }) as Segment[], i.stripFromMs, i.now, full),
    affected: full && i.affected?.[o.check] ? affectedView(i.affected[o.check]!, i.now) : null,
  }));
  return {
    title: `Health · ${status}`,
    status,
    summary: { line: summary.line, groups: summary.groups },
    view: i.view,
    now: i.now,
    nowText: iso(i.now).replace('T', ' ').slice(0, 19),
    since: i.since,
    sinceText: i.since !== null ? iso(i.since).replace('T', ' ').slice(0, 19) : null,
    refreshSeconds: i.refreshSeconds,
    checks,
    newChanges: i.since !== null ? all.filter((c) => c.time > i.since!).reverse().map((c) => changeRow(c, i.now, i.since, full)) : [],
    recentChanges: all.slice(-50).reverse().map((c) => changeRow(c, i.now, i.since, full)),
    stripFrom: ago(i.stripFromMs, i.now),
  };
}
