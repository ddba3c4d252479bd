/**
 * Runs the scheduled requests through two fake cps — cp-1 in the 'req-id'
 * configuration, cp-2 in 'correlation-id' — over real HTTP, in time order,
 * and returns each instance's NDJSON lines ordered by their time, as a
 * process writes them.
 */
import { buildError } from './cp-errors.js';
import type { CpPlan, CpResponse } from './cp-plan.js';
import { startFakeCp, type FakeCp } from './fake-cp.js';
import type { CpName, DemoTimeline } from './timeline.js';

export const CP_INSTANCES: ReadonlyArray<{ name: CpName; mode: 'req-id' | 'correlation-id'; pid: number }> = [
  { name: 'cp-1', mode: 'req-id', pid: 1 },
  { name: 'cp-2', mode: 'correlation-id', pid: 1 },
];

export async function runCps(t: DemoTimeline, bootAt: number): Promise<Record<CpName, string[]>> {
  const out: Record<CpName, string[]> = { 'cp-1': [], 'cp-2': [] };
  const cps = new Map<CpName, FakeCp>();
  try {
    for (const i of CP_INSTANCES) {
      const lines = out[i.name];
      const cp = await startFakeCp({ mode: i.mode, hostname: i.name, pid: i.pid, out: { write: (s: string) => void lines.push(...s.split('\n').filter(Boolean)) } });
      cps.set(i.name, cp);
      cp.setClock(bootAt);
      cp.logger.info({ port: 3000, version: '4.12.0', config: i.mode === 'req-id' ? 'reqId' : 'correlation_id' }, 'cp listening');
    }
    for (const l of t.cpLines) {
      const cp = cps.get(l.cp)!;
      cp.setClock(l.time);
      cp.logger[l.level](l.err ? { ...l.obj, err: buildError(l.err, 'db') } : l.obj, l.msg);
    }
    const ordered = [...t.requests].sort((a, b) => a.request.plan.start - b.request.plan.start);
    for (const r of ordered) check(r.request.plan, await cps.get(r.cp)!.request(r.request));
  } finally {
    for (const cp of cps.values()) await cp.close();
  }
  for (const name of Object.keys(out) as CpName[]) out[name] = byTime(out[name]);
  return out;
}

/** A scripted failure must come back as scripted, and nothing may fail by accident. */
function check(plan: CpPlan, res: CpResponse): void {
  const code = res.status >= 400 ? ((JSON.parse(res.body) as { error?: { code?: string } }).error?.code ?? null) : null;
  if ((plan.fail && code !== plan.fail.code) || code === 'CP_INTERNAL') {
    throw new Error(`demo request ${plan.cid} answered ${res.status} ${code ?? ''}, planned ${plan.fail?.code ?? 'success'}: ${res.body}`);
  }
}

/** Stable sort of NDJSON lines by their `time` field. */
function byTime(lines: string[]): string[] {
  return lines
    .map((line, i) => ({ line, i, time: (JSON.parse(line) as { time: number }).time }))
    .sort((a, b) => a.time - b.time || a.i - b.i)
    .map((x) => x.line);
}
