/**
 * reconciler: is the cp's reconciler sweeping? The age of the oldest
 * wok_status.refreshed_at among active woks (a wok with no status row at all
 * counts as never refreshed), active woks still without a functions_port
 * (it heals those on its sweep), and recent CP_STATUS_STALE /
 * CP_FUNCTIONS_NOT_ENABLED answers from the logs. `statusAge` is the
 * oldest; `wokStatusAge` (with ?verbose) one reading per late wok.
 */
import type { CheckDefinition, CheckDeps, CheckResult, Measurement } from '../check.js';
import { notConfigured } from '../check.js';
import { span } from '../diag-config.js';
import { codeRate, recentCodes } from './log-rates.js';

const LIST = 20;

interface Totals {
  active: number;
  missing: number;
  stale: number;
  oldest_ms: number | null;
  no_port: number;
}

async function fromCp(deps: CheckDeps, signal: AbortSignal): Promise<Measurement[]> {
  const cp = deps.cp!;
  const staleS = deps.config.reconciler.staleAfterMs / 1000;
  const from = 'FROM woks w LEFT JOIN wok_status s ON s.wok_id = w.id WHERE w.status = $1';
  const [t] = await cp.query<Totals>(
    `SELECT count(*)::int AS active,
            count(*) FILTER (WHERE s.wok_id IS NULL)::int AS missing,
            count(*) FILTER (WHERE s.refreshed_at < now() - make_interval(secs => $2))::int AS stale,
            (EXTRACT(EPOCH FROM now() - min(s.refreshed_at)) * 1000)::float8 AS oldest_ms,
            count(*) FILTER (WHERE w.functions_port IS NULL)::int AS no_port
     ${from}`,
    ['active', staleS],
    signal,
  );
  const stalest = await cp.query<{ id: string; age_ms: number | null }>(
    `SELECT w.id, (EXTRACT(EPOCH FROM now() - s.refreshed_at) * 1000)::float8 AS age_ms ${from}
       AND (s.wok_id IS NULL OR s.refreshed_at < now() - make_interval(secs => $2))
     ORDER BY s.refreshed_at ASC NULLS FIRST, w.id LIMIT ${LIST}`,
    ['active', staleS],
    signal,
  );
  const noPort = await cp.query<{ id: string }>(`SELECT w.id ${from} AND w.functions_port IS NULL ORDER BY w.id LIMIT ${LIST}`, ['active'], signal);
  const totals = t ?? { active: 0, missing: 0, stale: 0, oldest_ms: null, no_port: 0 };
  const staleMs = deps.config.reconciler.staleAfterMs;
  const oldest = totals.oldest_ms === null ? null : Math.max(0, totals.oldest_ms);
  const late = totals.stale + totals.missing;
  const status = oldest !== null && oldest > 10 * staleMs ? 'fail' : late > 0 ? 'warn' : 'pass';
  const age: Measurement = {
    measurement: 'statusAge',
    componentType: 'component',
    ...(oldest === null ? {} : { observedValue: Math.round(oldest / 1000), observedUnit: 's' }),
    status,
  };
  if (status !== 'pass') {
    const first = stalest[0];
    const parts = [];
    if (totals.stale) parts.push(`${totals.stale} of ${totals.active} active woks ${totals.stale === 1 ? 'has' : 'have'} a status older than ${span(staleMs)}`);
    if (totals.missing) parts.push(`${totals.missing} active wok${totals.missing === 1 ? ' has' : 's have'} no status row`);
    age.output = `${parts.join('; ')}${first ? ` (stalest: ${first.id}${first.age_ms === null ? ', never refreshed' : `, ${Math.round(first.age_ms / 1000)} s`})` : ''}`;
  }
  const out: Measurement[] = [age];
  for (const w of stalest) {
    out.push({
      measurement: 'wokStatusAge',
      componentId: w.id,
      componentType: 'component',
      ...(w.age_ms === null ? {} : { observedValue: Math.round(w.age_ms / 1000), observedUnit: 's' }),
      status: w.age_ms !== null && w.age_ms > 10 * staleMs ? 'fail' : 'warn',
      output: w.age_ms === null ? 'no status row' : `status ${Math.round(w.age_ms / 1000)} s old`,
      detail: true,
      links: [{ rel: 'about', href: `/diag/wok/${w.id}`, title: `wok ${w.id}` }],
    });
  }
  const port: Measurement = { measurement: 'functionsPort', componentType: 'component', observedValue: totals.no_port, observedUnit: 'woks', context: 'without functions_port', status: totals.no_port ? 'warn' : 'pass' };
  if (totals.no_port) port.output = `${totals.no_port} active wok${totals.no_port === 1 ? ' has' : 's have'} no functions_port (the reconciler heals these on its next sweep): ${noPort.map((w) => w.id).join(', ')}${totals.no_port > LIST ? ', …' : ''}`;
  out.push(port);
  return out;
}

async function run(deps: CheckDeps, signal: AbortSignal): Promise<CheckResult> {
  const measurements = deps.cp
    ? await fromCp(deps, signal)
    : [notConfigured('statusAge', 'component', 'wok_status is read from the cp database (DIAG_CP_DATABASE_URL)')];
  const w = await recentCodes(deps);
  measurements.push(await codeRate(deps, w, 'statusStale', 'component', ['CP_STATUS_STALE'], 'answered CP_STATUS_STALE'));
  measurements.push(await codeRate(deps, w, 'functionsNotEnabled', 'component', ['CP_FUNCTIONS_NOT_ENABLED'], 'answered CP_FUNCTIONS_NOT_ENABLED'));
  return { measurements };
}

export const reconcilerCheck: CheckDefinition = {
  name: 'reconciler',
  componentType: 'component',
  primary: 'statusAge',
  description: 'The reconciler: age of the oldest wok status among active woks, woks without functions_port, recent CP_STATUS_STALE / CP_FUNCTIONS_NOT_ENABLED.',
  run,
};
