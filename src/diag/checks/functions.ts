/**
 * functions: the woks' functions runtimes. From the container logs, each
 * functions container's condition (crash-looping or crashed: fail; shut down
 * or restarted within the loop window: warn); from the cp logs, recent 5xx
 * answers on functions routes or CP_FUNCTION_RUNTIME_UNAVAILABLE (invoke failures).
 */
import type { LifecycleRecord } from '../../model/activity.js';
import type { CheckDefinition, CheckDeps, CheckResult, Measurement } from '../check.js';
import { containerState, type ContainerState } from '../container-state.js';
import { span } from '../diag-config.js';

const LOOKBACK_MS = 24 * 3_600_000;
const FUNCTIONS_PATH = /\/functions(?:\/|$|\?)/;
const MAX_PAGES = 4;

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

async function containers(deps: CheckDeps, now: number): Promise<Measurement[]> {
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
  for (const [id, rs] of by) {
    const s = containerState(rs, now, rule);
    const status = verdict(s, now, rule.loopWindowMs);
    const name = rs[0]!.containerName ?? id.slice(0, 12);
    const since = s.since !== null ? ` since ${new Date(s.since).toISOString().slice(11, 19)}` : '';
    if (status !== 'pass') bad.push(`${name}${rs[0]!.wok ? ` (wok ${rs[0]!.wok})` : ''}: ${s.condition}${since}${s.boots > 1 ? `, ${s.boots} boots` : ''}`);
    details.push({
      measurement: 'containers',
      componentId: name,
      componentType: 'component',
      observedValue: s.condition,
      observedUnit: '',
      status,
      ...(status !== 'pass' ? { output: `${s.condition}${since}` } : {}),
      detail: true,
      ...(rs[0]!.wok ? { links: { wok: `/diag/wok/${rs[0]!.wok}` } } : {}),
    });
  }
  const worst = details.some((d) => d.status === 'fail') ? 'fail' : bad.length ? 'warn' : 'pass';
  const agg: Measurement = { measurement: 'containers', componentType: 'component', observedValue: bad.length, observedUnit: `of ${by.size} unhealthy`, status: worst };
  if (bad.length) agg.output = bad.slice(0, 10).join('; ') + (bad.length > 10 ? `; and ${bad.length - 10} more` : '');
  return [agg, ...details];
}

async function invokeFailures(deps: CheckDeps, now: number): Promise<Measurement> {
  const from = now - deps.config.windowMs;
  let n = 0;
  let sample: string | null = null;
  let cursor: string | null = null;
  for (let page = 0; page < MAX_PAGES; page++) {
    const p = await deps.store.search({ from, to: now, failed: true, limit: 500 }, cursor);
    for (const r of p.items) {
      if (r.status >= 500 && (FUNCTIONS_PATH.test(r.path) || r.code === 'CP_FUNCTION_RUNTIME_UNAVAILABLE')) {
        n++;
        sample ??= r.cid;
      }
    }
    if (!p.next) break;
    cursor = p.next;
  }
  const status = n >= deps.config.failAfter ? 'fail' : n > 0 ? 'warn' : 'pass';
  const m: Measurement = { measurement: 'invokeFailures', componentType: 'component', observedValue: n, observedUnit: `per ${span(deps.config.windowMs)}`, status };
  if (n) {
    m.output = `${n} request${n === 1 ? '' : 's'} on functions routes answered 5xx in the last ${span(deps.config.windowMs)}`;
    if (sample) m.links = { sample: `/tickets/${sample}` };
  }
  return m;
}

async function run(deps: CheckDeps): Promise<CheckResult> {
  const now = deps.clock.now();
  return { measurements: [...(await containers(deps, now)), await invokeFailures(deps, now)] };
}

export const functionsCheck: CheckDefinition = {
  name: 'functions',
  componentType: 'component',
  primary: 'containers',
  description: 'Functions runtimes: containers that stopped, crashed or keep restarting (from their logs), and recent 5xx on functions routes.',
  run,
};
