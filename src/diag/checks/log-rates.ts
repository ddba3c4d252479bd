/**
 * Readings from the logs shared by several checks: how often a platform
 * error code was answered in the recent window, as a measurement with the
 * usual thresholds (none: pass; at least one: warn; failAfter or more: fail),
 * a sample request answered with that code, and the cp routes it was answered on.
 */
import { sharedReading, type CheckDeps, type ComponentType, type Measurement } from '../check.js';
import { affectedEndpoints } from '../cp-endpoints.js';
import { span } from '../diag-config.js';

export interface CodeWindow {
  from: number;
  to: number;
  total: number;
  byCode: Record<string, number>;
}

/** Requests and per-code counts over the configured window ending now. */
export function recentCodes(deps: CheckDeps): Promise<CodeWindow> {
  const to = deps.clock.now();
  const from = to - deps.config.windowMs;
  return sharedReading(deps, `requestCounts:${from}:${to}`, async () => {
    const c = await deps.store.requestCounts({ from, to });
    return { from, to, total: c.total, byCode: c.byCode };
  });
}

/** `<measurement>`: failures with one of `codes` in the window; `what` follows "N requests" in the output. */
export async function codeRate(
  deps: CheckDeps,
  w: CodeWindow,
  measurement: string,
  componentType: ComponentType,
  codes: readonly string[],
  what: string,
): Promise<Measurement> {
  const n = codes.reduce((sum, c) => sum + (w.byCode[c] ?? 0), 0);
  const window = span(deps.config.windowMs);
  const status = n >= deps.config.failAfter ? 'fail' : n > 0 ? 'warn' : 'pass';
  const m: Measurement = { measurement, componentType, observedValue: n, observedUnit: 'requests', context: `in the last ${window}`, status };
  if (status !== 'pass') {
    const pct = w.total ? ` (${((100 * n) / w.total).toFixed(1)}% of ${w.total} requests)` : '';
    m.output = `${n} request${n === 1 ? '' : 's'} ${what} in the last ${window}${pct}: ${codes.filter((c) => w.byCode[c]).join(', ')}`;
    const sample = await sampleCid(deps, codes, w);
    if (sample) m.links = [{ rel: 'related', href: `/tickets/${sample}`, title: 'sample request' }];
    const routes = await affectedEndpoints(deps.store, codes.filter((c) => w.byCode[c]), w.from, w.to);
    if (routes.length) m.affectedEndpoints = routes;
  }
  return m;
}

/** The newest correlation id answered with one of the codes in the window. */
async function sampleCid(deps: CheckDeps, codes: readonly string[], w: CodeWindow): Promise<string | null> {
  const counts = await sharedReading(deps, `codeCounts:${w.from}:${w.to}`, () => deps.store.codeCounts({ from: w.from, to: w.to }));
  let best: { cid: string; t: number } | null = null;
  for (const c of counts) if (codes.includes(c.code) && (!best || c.lastSeen > best.t)) best = { cid: c.sampleCid, t: c.lastSeen };
  return best?.cid ?? null;
}
