/**
 * Incidents: per error code in a window (1 h, 24 h or 7 d up to now), how
 * often, how many orgs and woks, first and last seen, 24 buckets for a
 * sparkline, the catalogued fix side and remediation (or the cp's own hint
 * for an uncatalogued code), a sample ticket, and the /diag subsystems that
 * failed in the same window (from the stored check history).
 *
 * Order: a code whose fix side is `platform` or `state` (the first side the
 * catalogue names: `platform / BYOK` is platform, `caller / state` is the
 * caller's) and that hit two orgs or more is an incident, not a ticket;
 * incidents come first. Within
 * each group, more orgs first, then more requests, then the most recent,
 * then the code. The score says the same in one number for programs:
 * incident × 10⁹ + orgs × 10⁶ + min(count, 999 999).
 */
import { catalog } from '../catalog/catalog.js';
import { episodes } from '../diag/history.js';
import type { HealthStore, IncidentCount, LineReads, RequestReads } from '../store/store.js';
import { hintsOf } from './code-hint.js';

export const WINDOWS = { '1h': 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000 } as const;
export type WindowName = keyof typeof WINDOWS;
export const BUCKETS = 24;
/** Two loop intervals and more without a reading end an episode, as on /diag. */
const MAX_GAP_MS = 90_000;

/** A code's counts from the store, with what the catalogue says of it and its place in the order. */
export interface IncidentRow extends IncidentCount {
  fixSide: string | null;
  catalogued: boolean;
  group: string | null;
  remediation: string | null;
  incident: boolean;
  score: number;
}

export interface FailingCheck {
  check: string;
  status: 'warn' | 'fail';
  from: number;
  to: number | null;
  output: string | null;
}

export interface IncidentReport {
  window: WindowName;
  from: number;
  to: number;
  bucketMs: number;
  codes: IncidentRow[];
  checks: FailingCheck[];
}

export function isIncident(fixSide: string | null, orgs: number): boolean {
  const first = fixSide?.split('/')[0]?.trim();
  return (first === 'platform' || first === 'state') && orgs >= 2;
}

export function incidentScore(r: { fixSide: string | null; orgs: number; count: number }): number {
  return (isIncident(r.fixSide, r.orgs) ? 1e9 : 0) + r.orgs * 1e6 + Math.min(r.count, 999_999);
}

export async function incidents(store: RequestReads & HealthStore & LineReads, window: WindowName, now: number): Promise<IncidentReport> {
  const to = now;
  const from = now - WINDOWS[window];
  const [counts, history] = await Promise.all([store.incidentCounts({ from, to, buckets: BUCKETS }), store.checkHistory({ from, to })]);
  const hints = await hintsOf(store, counts.filter((c) => !catalog.get(c.code)));
  const codes = counts.map((c): IncidentRow => {
    const e = catalog.get(c.code);
    const fixSide = e?.fixSide ?? null;
    return {
      ...c,
      fixSide,
      catalogued: e !== undefined,
      group: e?.group ?? null,
      remediation: e ? e.remediation : (hints.get(c.code) ?? null),
      incident: isIncident(fixSide, c.orgs),
      score: incidentScore({ fixSide, orgs: c.orgs, count: c.count }),
    };
  });
  codes.sort((a, b) => b.score - a.score || b.count - a.count || b.lastSeen - a.lastSeen || (a.code < b.code ? -1 : 1));
  const checks = episodes(history, { maxGapMs: MAX_GAP_MS })
    .filter((ep) => ep.status === 'fail')
    .map((ep) => ({ check: ep.check, status: ep.status, from: ep.from, to: ep.to, output: ep.output }));
  return { window, from, to, bucketMs: (to - from) / BUCKETS, codes, checks };
}
