/**
 * The platform's status in one line, and the order /diag shows subsystems
 * and readings in: failing first, then warnings with a finding, then
 * passing, and last what only says "not configured" — so an unconfigured
 * option never pushes a failure below the fold.
 */
import type { CheckStatus } from '../model/health.js';
import { isNotConfigured, type CheckOutcome, type Measurement } from './check.js';

export type Standing = 'fail' | 'warn' | 'pass' | 'not configured';

const RANK: Record<Standing, number> = { fail: 0, warn: 1, pass: 2, 'not configured': 3 };

/** A warning whose every reason is "not configured" says nothing about health. */
export function standingOf(o: CheckOutcome): Standing {
  if (o.status !== 'warn') return o.status;
  return o.measurements.filter((m) => !m.detail && m.status === 'warn').every(isNotConfigured) ? 'not configured' : 'warn';
}

function readingStanding(m: Measurement): Standing {
  return isNotConfigured(m) ? 'not configured' : m.status;
}

/** Stable: checks of the same standing keep their definition order. */
export function inPageOrder(outcomes: readonly CheckOutcome[]): CheckOutcome[] {
  return outcomes.map((o, i) => ({ o, i })).sort((a, b) => RANK[standingOf(a.o)] - RANK[standingOf(b.o)] || a.i - b.i).map(({ o }) => o);
}

/** A check's readings: summaries before per-component ones, each by standing. */
export function readingsInOrder(ms: readonly Measurement[]): Measurement[] {
  const key = (m: Measurement) => (m.detail ? 4 : 0) + RANK[readingStanding(m)];
  return ms.map((m, i) => ({ m, i })).sort((a, b) => key(a.m) - key(b.m) || a.i - b.i).map(({ m }) => m);
}

export interface SummaryGroup {
  standing: Standing;
  checks: string[];
  /** "2 failing", "1 warning", "3 passing", "1 not configured". */
  label: string;
}

export interface PlatformSummary {
  status: CheckStatus;
  groups: SummaryGroup[];
  /** "2 failing: functions, llm_upstream · 1 warning: reconciler · 3 passing · 1 not configured: cp_db". */
  line: string;
}

const WORD: Record<Standing, [string, string]> = { fail: ['failing', 'failing'], warn: ['warning', 'warnings'], pass: ['passing', 'passing'], 'not configured': ['not configured', 'not configured'] };

export function platformSummary(outcomes: readonly CheckOutcome[]): PlatformSummary {
  const status: CheckStatus = outcomes.some((o) => o.status === 'fail') ? 'fail' : outcomes.some((o) => o.status === 'warn') ? 'warn' : 'pass';
  const groups: SummaryGroup[] = [];
  for (const o of inPageOrder(outcomes)) {
    const s = standingOf(o);
    const g = groups[groups.length - 1];
    if (g && g.standing === s) g.checks.push(o.check);
    else groups.push({ standing: s, checks: [o.check], label: '' });
  }
  for (const g of groups) g.label = `${g.checks.length} ${WORD[g.standing][g.checks.length === 1 ? 0 : 1]}`;
  if (!outcomes.length) return { status, groups, line: 'no subsystem checked' };
  if (groups.length === 1 && groups[0]!.standing === 'pass') return { status, groups, line: `all ${outcomes.length} subsystems passing` };
  const line = groups
    .map((g) => `${g.label}${g.standing === 'pass' ? '' : `: ${g.checks.join(', ')}`}`)
    .join(' · ');
  return { status, groups, line };
}
