/**
 * cp_db: the cp's own PostgreSQL. connect + SELECT 1 (responseTime), the
 * contract's four views readable with their columns, and how often the cp
 * answered CP_DB_QUERY_FAILED recently (read from the logs, so it works even
 * when the console has no connection of its own).
 */
import type { CheckDefinition, CheckDeps, CheckResult, Measurement } from '../check.js';
import { notConfigured } from '../check.js';
import { checkContract, CONTRACT } from '../../cpdb/contract.js';
import { toCpError } from '../../cpdb/cp-database.js';
import { codeRate, recentCodes } from './log-rates.js';

const CONTRACT_MISSING = ' (the contract is not applied as it is now: apply sql/cp-contract.sql to the cp database, and set DIAG_CP_SCHEMA to the schema holding its views)';

async function probe(deps: CheckDeps, signal: AbortSignal): Promise<Measurement[]> {
  const cp = deps.cp;
  if (!cp) {
    return [notConfigured('responseTime', 'datastore', 'set DIAG_CP_DATABASE_URL to check the cp database and read the live inventory')];
  }
  let ms: number;
  try {
    ms = (await cp.ping(signal)).ms;
  } catch (e) {
    return [{ measurement: 'responseTime', componentId: cp.target, componentType: 'datastore', observedValue: null, observedUnit: 'ms', status: 'fail', output: `${cp.target}: ${toCpError(e, signal).message}` }];
  }
  const slow = ms > deps.config.cp.slowMs;
  const out: Measurement[] = [
    {
      measurement: 'responseTime',
      componentId: cp.target,
      componentType: 'datastore',
      observedValue: Math.round(ms * 10) / 10,
      observedUnit: 'ms',
      status: slow ? 'warn' : 'pass',
      ...(slow ? { output: `connect + SELECT 1 took ${Math.round(ms)} ms (over ${deps.config.cp.slowMs} ms)` } : {}),
    },
  ];
  const views = await checkContract(cp, signal);
  const bad = views.filter((v) => !v.ok);
  out.push({
    measurement: 'contract',
    componentId: cp.target,
    componentType: 'datastore',
    observedValue: views.length - bad.length,
    observedUnit: `of ${Object.keys(CONTRACT).length} views`,
    status: bad.length ? 'fail' : 'pass',
    ...(bad.length ? { output: bad.map((v) => `${v.view}: ${v.error}`).join('; ') + (bad.some((v) => v.missing) ? CONTRACT_MISSING : '') } : {}),
  });
  return out;
}

async function run(deps: CheckDeps, signal: AbortSignal): Promise<CheckResult> {
  const measurements = await probe(deps, signal);
  const w = await recentCodes(deps);
  measurements.push(await codeRate(deps, w, 'queryFailures', 'datastore', ['CP_DB_QUERY_FAILED'], 'failed with CP_DB_QUERY_FAILED'));
  return { measurements };
}

export const cpDbCheck: CheckDefinition = {
  name: 'cp_db',
  componentType: 'datastore',
  primary: 'responseTime',
  description: "The cp's own PostgreSQL: connect + SELECT 1, the contract's views, and recent CP_DB_QUERY_FAILED answers.",
  run,
};
