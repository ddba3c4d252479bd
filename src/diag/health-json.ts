/**
 * The checks as application/health+json (draft-inadarei-api-health-check):
 * root status pass|warn|fail (HTTP 200 for pass and warn, 503 for fail),
 * `checks` keyed "component:measurement", each an array of readings.
 *
 * Two views: `public` (anonymous callers and customers) has one entry per
 * subsystem with its status and time only; `full` (operators) has every
 * measurement with observed values and outputs, and with `verbose` the
 * per-component readings and links as well.
 */
import type { CheckStatus } from '../model/health.js';
import type { CheckOutcome } from './check.js';
import { worst } from './check.js';

export const HEALTH_JSON = 'application/health+json';

export type HealthView = 'public' | 'full';

export interface HealthEntry {
  componentId?: string;
  componentType: string;
  observedValue?: number | string | boolean | null;
  observedUnit?: string;
  status: CheckStatus;
  time: string;
  output?: string;
  links?: Record<string, string>;
}

export interface HealthDoc {
  status: CheckStatus;
  version: string;
  serviceId: string;
  description: string;
  output?: string;
  notes?: string[];
  checks: Record<string, HealthEntry[]>;
  links: Record<string, string>;
}

export interface RenderOptions {
  view: HealthView;
  verbose: boolean;
  /** Notes for operators (cache age and such), shown with verbose. */
  notes?: string[];
}

export function healthJson(outcomes: readonly CheckOutcome[], o: RenderOptions): HealthDoc {
  const status = worst(outcomes.map((c) => c.status));
  const checks: Record<string, HealthEntry[]> = {};
  for (const c of outcomes) {
    const time = new Date(c.time).toISOString();
    if (o.view === 'public') {
      checks[c.check] = [{ componentType: c.componentType, status: c.status, time }];
      continue;
    }
    for (const m of c.measurements) {
      if (m.detail && !o.verbose) continue;
      const e: HealthEntry = { componentType: m.componentType, observedValue: m.observedValue, observedUnit: m.observedUnit, status: m.status, time };
      if (m.componentId !== undefined) e.componentId = m.componentId;
      if (m.output !== undefined && m.status !== 'pass') e.output = m.output;
      else if (m.output !== undefined && o.verbose) e.output = m.output;
      if (o.verbose && m.links) e.links = m.links;
      (checks[`${c.check}:${m.measurement}`] ??= []).push(e);
    }
  }
  const doc: HealthDoc = {
    status,
    version: '1',
    serviceId: 'tellwang-diag',
    description: 'TellWang platform subsystems as seen by tellwang-diag',
    checks,
    links: { about: '/diag', wok: '/v1/diag/wok/{id}' },
  };
  if (o.view === 'full' && status !== 'pass') {
    doc.output = outcomes
      .filter((c) => c.status !== 'pass')
      .map((c) => `${c.check}: ${c.measurements.find((m) => !m.detail && m.status === c.status)?.output ?? c.status}`)
      .join('; ');
  }
  if (o.view === 'full' && o.verbose && o.notes?.length) doc.notes = o.notes;
  return doc;
}

export function healthHttpStatus(status: CheckStatus): 200 | 503 {
  return status === 'fail' ? 503 : 200;
}
