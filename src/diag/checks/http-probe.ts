/**
 * The optional active probe of an upstream: one GET with a timeout. Any
 * answer below 500 means the upstream is reachable and serving (an API root
 * often answers 401 or 404 to an anonymous GET); 5xx, a network error or no
 * answer in time is fail.
 */
import type { ComponentType, Measurement } from '../check.js';
import { errorText } from '../runner.js';

/** The URL as shown: scheme, host and path, never credentials or the query. */
export function probeTarget(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return '(unparsable URL)';
  }
}

export async function httpProbe(url: string, componentType: ComponentType, timeoutMs: number, signal: AbortSignal): Promise<Measurement> {
  const target = probeTarget(url);
  const base = { measurement: 'responseTime', componentId: target, componentType, observedUnit: 'ms' };
  const t0 = performance.now();
  try {
    const res = await fetch(url, { method: 'GET', redirect: 'manual', signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]), headers: { 'user-agent': 'tellwang-diag/probe' } });
    await res.body?.cancel();
    const ms = Math.round((performance.now() - t0) * 10) / 10;
    if (res.status >= 500) return { ...base, observedValue: ms, status: 'fail', output: `${target} answered HTTP ${res.status}` };
    return { ...base, observedValue: ms, status: 'pass' };
  } catch (e) {
    const ms = performance.now() - t0;
    const name = (e as { name?: string }).name;
    const why = name === 'TimeoutError' || name === 'AbortError' ? `timed out after ${timeoutMs} ms` : errorText((e as { cause?: unknown }).cause ?? e);
    return { ...base, observedValue: Math.round(ms), status: 'fail', output: `${target}: ${why}` };
  }
}
