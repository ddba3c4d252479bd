/**
 * What the three upstream checks share: the recent rate of the upstream's
 * failure code in the cp logs, and — when a probe URL is configured — one
 * active request to the upstream itself.
 */
import type { CheckDeps, CheckResult } from '../check.js';
import type { UpstreamProbe } from '../diag-config.js';
import { httpProbe } from './http-probe.js';
import { codeRate, recentCodes } from './log-rates.js';

export async function upstreamCheck(deps: CheckDeps, signal: AbortSignal, code: string, probe: UpstreamProbe | null): Promise<CheckResult> {
  const measurements = [];
  // Start the probe first: it is the slow part, and the log reading is synchronous underneath.
  const active = probe ? httpProbe(probe.url, 'system', deps.config.timeoutMs, signal) : null;
  const w = await recentCodes(deps);
  measurements.push(await codeRate(deps, w, 'failures', 'system', [code], `failed with ${code}`));
  if (active) measurements.push(await active);
  return { measurements };
}
