/**
 * The checks as application/health+json (draft-inadarei-api-health-check):
 * root status pass|warn|fail (HTTP 200 for pass and warn, 503 for fail),
 * `checks` keyed "component:measurement", each an array of readings — one
 * summary reading, or one reading per component, never both mixed.
 *
 * Every caller gets the same keys. Two views: `public` (anonymous callers
 * and customers) has each summary reading's componentType, status and time
 * only (and its componentId when that names no infrastructure); `full`
 * (operators) adds observed values and units, outputs and the affected cp
 * routes, and with `verbose` the per-component readings and links.
 * An observedUnit is a unit ("ms", "requests"), absent when there is no
 * value; times are RFC 3339; link values are absolute URIs under registered
 * relation names.
 */
import type { CheckStatus } from '../model/health.js';
import { isNotConfigured, worst, type CheckOutcome, type Measurement } from './check.js';
import { release } from './release.js';
import { jsonUnit } from './units.js';

export const HEALTH_JSON = 'application/health+json';

export type HealthView = 'public' | 'full';

export interface HealthEntry {
  componentId?: string;
  componentType: string;
  observedValue?: number | string | boolean;
  observedUnit?: string;
  status: CheckStatus;
  affectedEndpoints?: string[];
  time: string;
  output?: string;
  links?: Record<string, string>;
}

export interface HealthDoc {
  status: CheckStatus;
  version: string;
  releaseId: string;
  notes?: string[];
  output?: string;
  checks: Record<string, HealthEntry[]>;
  links: Record<string, string>;
  serviceId: string;
  description: string;
}

export interface RenderOptions {
  view: HealthView;
  verbose: boolean;
  /** Notes for operators (cache age and such), shown with verbose. */
  notes?: string[];
  /** The console's origin ("http://127.0.0.1:8080"): links are made absolute against it. */
  origin: string;
  /** This answer's own path and query. */
  self: string;
}

function entry(m: Measurement, time: string, o: RenderOptions): HealthEntry {
  if (o.view === 'public') return { ...(m.publicId && m.componentId !== undefined ? { componentId: m.componentId } : {}), componentType: m.componentType, status: m.status, time };
  const e: HealthEntry = { ...(m.componentId !== undefined ? { componentId: m.componentId } : {}), componentType: m.componentType, status: m.status, time };
  if (m.observedValue !== undefined && m.observedValue !== null) {
    e.observedValue = m.observedValue;
    const unit = jsonUnit(m.observedUnit);
    if (unit) e.observedUnit = unit;
  }
  if (m.status !== 'pass' && m.affectedEndpoints?.length) e.affectedEndpoints = m.affectedEndpoints;
  // The draft: output is for warn and fail, omitted on pass.
  if (m.output !== undefined && m.status !== 'pass') e.output = m.output;
  if (o.verbose && m.links?.length) {
    const links: Record<string, string> = {};
    for (const l of m.links) links[l.rel] ??= new URL(l.href, o.origin).href;
    e.links = links;
  }
  return e;
}

/** Failing checks first, then warnings with a finding, then "not configured" ones: what the root `output` lists. */
function reasons(outcomes: readonly CheckOutcome[]): string {
  const why = (c: CheckOutcome) => c.measurements.filter((m) => !m.detail && m.status === c.status);
  const rank = (c: CheckOutcome) => (c.status === 'fail' ? 0 : why(c).every(isNotConfigured) ? 2 : 1);
  return outcomes
    .filter((c) => c.status !== 'pass')
    .map((c) => ({ c, r: rank(c) }))
    .sort((a, b) => a.r - b.r)
    .map(({ c }) => `${c.check}: ${(why(c).find((m) => !isNotConfigured(m)) ?? why(c)[0])?.output ?? c.status}`)
    .join('; ');
}

export function healthJson(outcomes: readonly CheckOutcome[], o: RenderOptions): HealthDoc {
  const status = worst(outcomes.map((c) => c.status));
  const checks: Record<string, HealthEntry[]> = {};
  for (const c of outcomes) {
    const time = new Date(c.time).toISOString();
    for (const m of c.measurements) {
      if (m.detail && (o.view === 'public' || !o.verbose)) continue;
      (checks[`${c.check}:${m.measurement}`] ??= []).push(entry(m, time, o));
    }
  }
  const { version, releaseId } = release();
  const doc: HealthDoc = {
    status,
    version,
    releaseId,
    checks,
    links: { self: new URL(o.self, o.origin).href, about: new URL('/diag', o.origin).href },
    serviceId: 'tellwang-diag',
    description: 'TellWang platform subsystems as seen by tellwang-diag',
  };
  if (o.view === 'full' && status !== 'pass') doc.output = reasons(outcomes);
  if (o.view === 'full' && o.verbose && o.notes?.length) doc.notes = o.notes;
  return doc;
}

export function healthHttpStatus(status: CheckStatus): 200 | 503 {
  return status === 'fail' ? 503 : 200;
}
