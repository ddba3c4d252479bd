/**
 * Everything /diag/wok/<id> shows about one wok, gathered once: the
 * inventory's view of it, its status row and freshness (cp database), each
 * container's condition from its own log, the recent errors by code with
 * remediation, audit entries, the timeline and the subsystems' recent
 * history. The customer's version is built without the operator-only parts
 * (container names and tails, log text, check outputs) ever being read.
 */
import type { Catalog, Remediation } from '../catalog/catalog.js';
import { CpInventory, type WokStatusRow } from '../cpdb/cp-inventory.js';
import type { AuditRecord, LifecycleRecord } from '../model/activity.js';
import type { Event } from '../model/event.js';
import type { CheckRecord, CheckStatus } from '../model/health.js';
import type { InventoryWok } from '../model/inventory.js';
import type { ActivityReads, ContainerInfo, RequestReads } from '../store/store.js';
import type { CheckDeps } from './check.js';
import { containerState, type ContainerState } from './container-state.js';
import { changes, segments, type Change, type Segment } from './history.js';
import { errorText } from './runner.js';
import { customerTimeline, timeline, type TimelineItem } from './timeline.js';

export type Audience = 'operator' | 'customer';

export interface WokContainer {
  id: string | null;
  name: string | null;
  role: string | null;
  image: string | null;
  lastSeen: number | null;
  state: ContainerState;
  /** Operators only: the newest lines of its log. */
  tail: Event[] | null;
}

export interface WokError {
  code: string;
  count: number;
  lastSeen: number;
  sampleCid: string;
  remediation: Remediation | null;
}

export type Freshness =
  | { kind: 'fresh' | 'stale'; state: string | null; refreshedAt: number; ageMs: number }
  | { kind: 'missing' }
  | { kind: 'not-configured' }
  | { kind: 'unavailable'; reason: string };

export interface WokReport {
  id: string;
  audience: Audience;
  /** Whether the inventory knows it, or only the logs do. */
  inInventory: boolean;
  org: string | null;
  status: string | null;
  createdAt: number | null;
  functionsEnabled: boolean | null;
  /** The catalogued guidance for a destroyed wok (CP_NOT_ACTIVE). */
  guidance: Remediation | null;
  freshness: Freshness;
  containers: WokContainer[];
  errors: WokError[];
  audits: AuditRecord[];
  timeline: TimelineItem[];
  health: { check: string; segments: Segment[] }[];
  window: { from: number; to: number };
}

export interface WokReportOptions {
  audience: Audience;
  /** Customers: only their org's requests and audit entries count. */
  org: string | null;
  from: number;
  to: number;
  tailLines: number;
  timelineLimit: number;
}

/** The subsystems every wok depends on: their history is on every wok's view. */
const PLATFORM_CHECKS = ['cp_db', 'reconciler'];

/** A container's lifecycle lines as states over time: ready is pass; starting, stopping, recovering warn; down fail. */
function lifecycleRecords(records: readonly LifecycleRecord[], name: string): CheckRecord[] {
  const status = (s: LifecycleRecord['state']): CheckStatus => (s === 'ready' ? 'pass' : s === 'shutdown' || s === 'crash' ? 'fail' : 'warn');
  return records.map((r) => ({ check: name, status: status(r.state), time: r.time, output: `${r.state}: ${r.message}` }));
}

/** Check changes that concern this wok: the platform's, and the functions check's when it names the wok. */
function concerns(c: Change, id: string): boolean {
  return PLATFORM_CHECKS.includes(c.check) || (c.check === 'functions' && (c.output ?? '').includes(`(wok ${id})`));
}

/** Whether the logs know a wok the inventory does not. */
export async function wokInLogs(store: ActivityReads & RequestReads, id: string, now: number): Promise<boolean> {
  if ((await store.containers(id)).length) return true;
  return (await store.search({ wok: id, limit: 1, to: now })).items.length > 0;
}

async function freshness(deps: CheckDeps, id: string, now: number): Promise<Freshness> {
  if (!deps.cp) return { kind: 'not-configured' };
  let row: WokStatusRow | null;
  try {
    row = await new CpInventory(deps.cp).wokStatus(id, AbortSignal.timeout(deps.config.timeoutMs));
  } catch (e) {
    return { kind: 'unavailable', reason: errorText(e) };
  }
  if (!row || row.refreshedAt === null) return { kind: 'missing' };
  const ageMs = Math.max(0, now - row.refreshedAt);
  return { kind: ageMs > deps.config.reconciler.staleAfterMs ? 'stale' : 'fresh', state: row.state, refreshedAt: row.refreshedAt, ageMs };
}

async function wokContainers(deps: CheckDeps, seen: readonly ContainerInfo[], lifecycle: readonly LifecycleRecord[], o: WokReportOptions, now: number): Promise<WokContainer[]> {
  const out: WokContainer[] = [];
  for (const c of seen) {
    const state = containerState(lifecycle.filter((l) => l.containerId === c.id), now, deps.config.functions);
    const op = o.audience === 'operator';
    out.push({
      id: op ? c.id : null,
      name: op ? c.name : null,
      role: c.role,
      image: op ? c.image : null,
      lastSeen: c.lastSeen,
      state: op ? state : { ...state, last: null },
      tail: op && o.tailLines > 0 ? await deps.store.containerTail(c.id, o.tailLines) : null,
    });
  }
  return out;
}

export async function wokReport(deps: CheckDeps, catalog: Catalog, id: string, wok: InventoryWok | null, o: WokReportOptions): Promise<WokReport> {
  const { store } = deps;
  const now = o.to;
  const scope = { from: o.from, to: o.to, wok: id, ...(o.org ? { org: o.org } : {}) };
  // Lifecycle over a longer span than the window: a container's condition may date from before it.
  const lifecycle = await store.lifecycle({ from: o.from - 7 * 86_400_000, to: o.to, wok: id, limit: 2000 });
  const codes = await store.codeCounts(scope);
  const audits = await store.audits({ ...scope, limit: 100 });
  const failed = (await store.search({ ...scope, failed: true, limit: 200 })).items;
  const maxGapMs = Math.max(3 * deps.config.intervalMs, 90_000);
  const history = await store.checkHistory({ from: o.from - 3_600_000, to: o.to });
  const stateChanges = changes(history).filter((c) => c.from !== null && c.time >= o.from && concerns(c, id));
  const items = timeline({ audits, failed, lifecycle: lifecycle.filter((l) => l.time >= o.from), changes: stateChanges }, o.timelineLimit);
  const destroyed = wok?.status === 'destroyed';
  const containers = await store.containers(id);
  const wokViews = await wokContainers(deps, containers, lifecycle, o, now);
  return {
    id,
    audience: o.audience,
    inInventory: wok !== null,
    org: wok?.org ?? null,
    status: wok?.status ?? null,
    createdAt: wok?.createdAt ?? null,
    // Only the cp database says "no port" for sure; a snapshot without the field says nothing.
    functionsEnabled: !wok ? null : wok.functionsPort != null ? true : deps.cp ? false : null,
    guidance: destroyed ? catalog.remediation('CP_NOT_ACTIVE') : null,
    freshness: wok && !destroyed ? await freshness(deps, id, now) : deps.cp ? { kind: 'missing' } : { kind: 'not-configured' },
    containers: wokViews,
    errors: codes.map((c) => ({ ...c, remediation: catalog.remediation(c.code) })),
    audits,
    timeline: o.audience === 'operator' ? items : customerTimeline(items),
    health: [
      ...PLATFORM_CHECKS.map((check) => ({ check, segments: segments(history.filter((r) => r.check === check), o.from, o.to, { maxGapMs }) })),
      // The wok's own states: each container's, from its lifecycle lines (a state holds until the next line).
      ...containers.map((c) => {
        const name = `${c.role ?? 'container'} container${containers.filter((x) => x.role === c.role).length > 1 && o.audience === 'operator' ? ` ${c.name ?? ''}` : ''}`;
        const own = lifecycle.filter((l) => l.containerId === c.id);
        return { check: name, segments: segments(lifecycleRecords(own, name), o.from, o.to, { maxGapMs: Number.MAX_SAFE_INTEGER }) };
      }),
    ].map((h) => ({ ...h, segments: h.segments.map((s) => (o.audience === 'operator' ? s : { ...s, output: null })) })),
    window: { from: o.from, to: o.to },
  };
}
