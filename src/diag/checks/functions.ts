/**
 * functions: the woks' functions runtimes. From the container logs, each
 * functions container's condition (crash-looping or crashed: fail; shut down
 * or restarted within the loop window: warn); from the cp logs, recent 5xx
 * answers on functions routes or CP_FUNCTION_RUNTIME_UNAVAILABLE (invoke
 * failures) — not CP_FUNCTIONS_NOT_ENABLED, which is the reconciler's
 * finding. The sample request is one on a wok whose runtime is unhealthy
 * when there is one, so it shows this check's problem.
 *
 * `unhealthyContainers` is the summary; `containers` (with ?verbose) one
 * reading per runtime.
 */
import type { LifecycleRecord } from '../../model/activity.js';
import type { CheckDefinition, CheckDeps, CheckResult, Measurement } from '../check.js';
import { containerState, type ContainerState } from '../container-state.js';
import { cpRouteTemplate } from '../cp-endpoints.js';
import { span } from '../diag-config.js';

const LOOKBACK_MS = 24 * 3_600_000;
const FUNCTIONS_PATH = /\/functions(?:\/|$|\?)/;
const MAX_PAGES = 4;
/** 5xx on functions routes that another check explains. */
const OTHER_CHECKS_CODES: ReadonlySet<string> = new Set(['CP_FUNCTIONS_NOT_ENABLED', 'CP_STATUS_STALE', 'CP_DB_QUERY_FAILED']);
const hms = (t: number) => new Date(t).toISOString().slice(11, 19);

function verdict(s: ContainerState, now: number, loopWindowMs: number): 'pass' | 'warn' | 'fail' {
  if (s.condition === 'crash-looping' || s.condition === 'crashed') return 'fail';
  if (s.condition === 'shut down' || s.condition === 'shutting down') return 'warn';
  if ((s.condition === 'restarting' || s.condition === 'recovering' || s.boots > 1) && s.since !== null && s.since >= now - loopWindowMs) return 'warn';
  return 'pass';
}

/**
 * The woks not destroyed, to leave out runtimes of destroyed woks; null when
 * unknown. The inventory may be the cp database: a slow or down one is
 * cp_db's finding, so this waits a quarter of the check's budget at most.
 */
async function activeWoks(deps: CheckDeps): Promise<Set<string> | null> {
  let timer: NodeJS.Timeout | undefined;
  const giveUp = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), Math.max(50, deps.config.timeoutMs / 4));
  });
  try {
    const woks = await Promise.race([deps.inventory.woks(), giveUp]);
    return woks && woks.length ? new Set(woks.filter((w) => w.status !== 'destroyed').map((w) => w.id)) : null;
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
  }
}

interface Containers {
  measurements: Measurement[];
  /** Woks whose runtime is not pass. */
  unhealthy: Set<string>;
}

async function containers(deps: CheckDeps, now: number): Promise<Containers> {
  const rule = deps.config.functions;
  const records = (await deps.store.lifecycle({ from: now - LOOKBACK_MS, to: now, limit: 5000 })).filter((r) => r.role === 'functions');
  const live = await activeWoks(deps);
  const by = new Map<string, LifecycleRecord[]>();
  for (const r of records) {
    if (live && r.wok && !live.has(r.wok)) continue;
    by.set(r.containerId, [...(by.get(r.containerId) ?? []), r]);
  }
  const details: Measurement[] = [];
  const bad: string[] = [];
  const unhealthy = new Set<string>();
  const aboutWoks: Measurement['links'] = [];
  for (const [id, rs] of by) {
    const s = containerState(rs, now, rule);
    const status = verdict(s, now, rule.loopWindowMs);
    const name = rs[0]!.containerName ?? id.slice(0, 12);
    const wok = rs[0]!.wok;
    // The same "since" in the summary, the runtime's own reading, the stored history and the wok page.
    const since = s.since !== null ? ` since ${hms(s.since)}` : '';
    const boots = s.condition === 'crash-looping' ? `, ${s.bootsSince} boots` : '';
    const about = wok ? [{ rel: 'about' as const, href: `/diag/wok/${wok}`, title: `wok ${wok}` }] : [];
    if (status !== 'pass') {
      bad.push(`${name}${wok ? ` (wok ${wok})` : ''}: ${s.condition}${since}${boots}`);
      if (wok) {
        unhealthy.add(wok);
        aboutWoks.push(...about);
      }
    }
    details.push({
      measurement: 'containers',
      componentId: name,
      componentType: 'component',
      observedValue: s.condition,
      status,
      ...(status !== 'pass' ? { output: `${s.condition}${since}${boots}` } : {}),
      detail: true,
      ...(about.length ? { links: about } : {}),
    });
  }
  const worst = details.some((d) => d.status === 'fail') ? 'fail' : bad.length ? 'warn' : 'pass';
  const agg: Measurement = { measurement: 'unhealthyContainers', componentType: 'component', observedValue: bad.length, observedUnit: 'containers', context: `of ${by.size}`, status: worst };
  if (bad.length) agg.output = bad.slice(0, 10).join('; ') + (bad.length > 10 ? `; and ${bad.length - 10} more` : '');
  if (aboutWoks.length) agg.links = aboutWoks.slice(0, 1);
  return { measurements: [agg, ...details], unhealthy };
}

async function invokeFailures(deps: CheckDeps, now: number, unhealthy: ReadonlySet<string>): Promise<Measurement> {
  const from = now - deps.config.windowMs;
  let n = 0;
  // Newest first: the newest on an unhealthy runtime's wok, else the newest counted.
  let onUnhealthy: string | null = null;
  let newest: string | null = null;
  const routes = new Map<string, number>();
  let cursor: string | null = null;
  for (let page = 0; page < MAX_PAGES; page++) {
    const p = await deps.store.search({ from, to: now, failed: true, limit: 500 }, cursor);
    for (const r of p.items) {
      if (r.status < 500 || (r.code !== null && OTHER_CHECKS_CODES.has(r.code))) continue;
      if (!FUNCTIONS_PATH.test(r.path) && r.code !== 'CP_FUNCTION_RUNTIME_UNAVAILABLE') continue;
      n++;
      newest ??= r.cid;
      if (r.wok && unhealthy.has(r.wok)) onUnhealthy ??= r.cid;
      if (r.path) routes.set(cpRouteTemplate(r.path), (routes.get(cpRouteTemplate(r.path)) ?? 0) + 1);
    }
    if (!p.next) break;
    cursor = p.next;
  }
  const status = n >= deps.config.failAfter ? 'fail' : n > 0 ? 'warn' : 'pass';
  const window = span(deps.config.windowMs);
  const m: Measurement = { measurement: 'invokeFailures', componentType: 'component', observedValue: n, observedUnit: 'requests', context: `in the last ${window}`, status };
  if (n) {
    m.output = `${n} request${n === 1 ? '' : 's'} on functions routes answered 5xx in the last ${window}`;
    const sample = onUnhealthy ?? newest;
    if (sample) m.links = [{ rel: 'related', href: `/tickets/${sample}`, title: 'sample request' }];
    m.affectedEndpoints = [...routes].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([t]) => t);
  }
  return m;
}

async function run(deps: CheckDeps): Promise<CheckResult> {
  const now = deps.clock.now();
  const c = await containers(deps, now);
  return { measurements: [...c.measurements, await invokeFailures(deps, now, c.unhealthy)] };
}

export const functionsCheck: CheckDefinition = {
  name: 'functions',
  componentType: 'component',
  primary: 'unhealthyContainers',
  description: 'Functions runtimes: containers that stopped, crashed or keep restarting (from their logs), and recent 5xx on functions routes.',
  run,
};
