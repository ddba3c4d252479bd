/**
 * ingest: is the console itself seeing the platform? Per source, when the
 * newest line was logged — a source that went silent is warn, so "no errors"
 * is never mistaken for "no data" — plus the bytes not read yet behind all
 * streams and the share of lines that parsed as nothing. `lag` and
 * `unparsed` are the totals; `streamLag` and `streamUnparsed` (with
 * ?verbose) one reading per stream. When consoles share the store
 * (leases), `leases` says how many streams each holds, and `streamLease`
 * (?verbose) which console reads each stream; a stream with unread bytes
 * whose lease nobody holds is warn.
 * `writes`: whether this server's own
 * follow thread is writing or paused on store errors (ingest-writes.ts),
 * also read when the store cannot be.
 */
import type { Source } from '../../model/event.js';
import type { StreamState } from '../../model/stream.js';
import type { CheckDefinition, CheckDeps, CheckResult, Measurement } from '../check.js';
import { streamLag } from '../../ingest/readers/stream-lag.js';
import { span } from '../diag-config.js';
import type { LeaseTable } from '../../model/lease.js';
import { leaseView } from '../../queries/lease-view.js';
import { ingestWrites } from './ingest-writes.js';

const UNPARSED_LINK = { rel: 'related' as const, href: '/unparsed', title: 'unparsed lines' };

async function newest(deps: CheckDeps, streams: StreamState[], now: number): Promise<Record<Source, number | null>> {
  const [req] = (await deps.store.search({ limit: 1 })).items;
  const [audit] = await deps.store.audits({ from: 0, to: now, limit: 1 });
  let container: number | null = null;
  for (const s of streams) if ((s.kind === 'docker' || s.source === 'container') && s.lastTime !== null) container = Math.max(container ?? 0, s.lastTime);
  return {
    cp: req ? req.time + (req.durationMs ?? 0) : null,
    container,
    audit: audit ? audit.time : null,
  };
}

function lastLine(deps: CheckDeps, source: Source, t: number | null, now: number): Measurement {
  const silent = deps.config.ingest.silentAfterMs[source];
  const base = { measurement: 'lastLine', componentId: source, publicId: true, componentType: 'component' as const };
  if (t === null) return { ...base, status: 'warn', output: `no ${source} line has ever been ingested` };
  const age = Math.max(0, now - t);
  // The value is when the newest line was logged (RFC 3339); its age is beside it on the page.
  const when = { observedValue: new Date(t).toISOString(), context: `${Math.round(age / 1000)} s before this reading` };
  if (age > silent) {
    return { ...base, ...when, status: 'warn', output: `no ${source} line for ${span(Math.round(age / 60_000) * 60_000 || 60_000)} (silent after ${span(silent)}): no errors here may mean no data` };
  }
  return { ...base, ...when, status: 'pass' };
}

function lag(deps: CheckDeps, streams: StreamState[]): Measurement[] {
  let total = 0;
  const details: Measurement[] = [];
  for (const s of streams) {
    const behind = streamLag(s).lag ?? 0;
    total += behind;
    if (behind > 0) details.push({ measurement: 'streamLag', componentId: s.path ?? s.stream, componentType: 'component', observedValue: behind, observedUnit: 'bytes', status: 'pass', detail: true });
  }
  const warn = total > deps.config.ingest.lagWarnBytes;
  const m: Measurement = { measurement: 'lag', componentType: 'component', observedValue: total, observedUnit: 'bytes', status: warn ? 'warn' : 'pass' };
  if (warn) m.output = `${(total / 1048576).toFixed(1)} MiB not read yet across ${details.length} streams`;
  return [m, ...details];
}

function unparsed(deps: CheckDeps, streams: StreamState[]): Measurement[] {
  const { unparsedWarnPct, unparsedFailPct } = deps.config.ingest;
  let lines = 0;
  let bad = 0;
  const details: Measurement[] = [];
  for (const s of streams) {
    lines += s.line;
    bad += s.unparsed;
    if (s.unparsed > 0) {
      const pct = s.line ? (100 * s.unparsed) / s.line : 0;
      details.push({
        measurement: 'streamUnparsed',
        componentId: s.path ?? s.stream,
        componentType: 'component',
        observedValue: Math.round(pct * 100) / 100,
        observedUnit: '%',
        status: pct >= unparsedFailPct ? 'fail' : pct >= unparsedWarnPct ? 'warn' : 'pass',
        output: `${s.unparsed} of ${s.line} lines unparsed`,
        detail: true,
        links: [UNPARSED_LINK],
      });
    }
  }
  const pct = lines ? (100 * bad) / lines : 0;
  const status = pct >= unparsedFailPct ? 'fail' : pct >= unparsedWarnPct ? 'warn' : 'pass';
  const m: Measurement = { measurement: 'unparsed', componentType: 'component', observedValue: Math.round(pct * 100) / 100, observedUnit: '%', status };
  if (status !== 'pass') {
    m.output = `${bad} of ${lines} lines parsed as nothing (${pct.toFixed(1)}%); see /unparsed`;
    m.links = [UNPARSED_LINK];
  }
  return [m, ...details];
}

function leases(table: LeaseTable, streams: StreamState[]): Measurement[] {
  const v = leaseView(table, streams);
  if (!v.leases.length && !v.holders.length) return [];
  const lagOf = new Map(streams.map((s) => [s.stream, streamLag(s).lag ?? 0]));
  const orphans = v.leases.filter((l) => !l.live && (lagOf.get(l.key) ?? 0) > 0);
  const alive = v.holders.filter((h) => h.alive);
  const held = v.leases.filter((l) => l.live).length;
  const m: Measurement = {
    measurement: 'leases',
    componentType: 'component',
    observedValue: held,
    observedUnit: 'streams',
    status: orphans.length ? 'warn' : 'pass',
    context: `${alive.length} console${alive.length === 1 ? '' : 's'} renewing: ${alive.map((h) => `${h.holder} holds ${h.streams}`).join(', ') || 'none'}`,
  };
  if (orphans.length) m.output = `${orphans.length} stream${orphans.length === 1 ? '' : 's'} with unread bytes held by no console (${orphans.map((l) => l.path ?? l.key).join(', ')})`;
  const details: Measurement[] = v.leases.map((l) => ({
    measurement: 'streamLease',
    componentId: l.path ?? l.key,
    componentType: 'component',
    observedValue: l.live ? l.holder : null,
    status: 'pass',
    output: l.live ? `held by ${l.holder} (epoch ${l.epoch}), ${Math.round(l.expiresInMs / 1000)} s left` : `free since ${Math.round(-l.expiresInMs / 1000)} s (last ${l.holder})`,
    detail: true,
  }));
  return [m, ...details];
}

async function run(deps: CheckDeps): Promise<CheckResult> {
  const now = deps.clock.now();
  const writes = ingestWrites(deps.ingest?.() ?? null, now);
  let streams: StreamState[];
  let t: Record<Source, number | null>;
  try {
    // streams() reads the streams table alone; stats() would also count distinct ids over the whole cid index.
    streams = await deps.store.streams();
    t = await newest(deps, streams, now);
  } catch (e) {
    if (!writes.length) throw e;
    // The database is away: say so, and what the follow thread is doing about it.
    const output = `cannot read the store: ${e instanceof Error ? e.message : String(e)}`;
    return { measurements: [{ measurement: 'lastLine', componentType: 'component', status: 'fail', output }, ...writes] };
  }
  const table = await deps.store.leaseTable();
  return {
    measurements: [
      lastLine(deps, 'cp', t.cp, now),
      lastLine(deps, 'container', t.container, now),
      lastLine(deps, 'audit', t.audit, now),
      ...writes,
      ...lag(deps, streams),
      ...unparsed(deps, streams),
      ...leases(table, streams),
    ],
  };
}

export const ingestCheck: CheckDefinition = {
  name: 'ingest',
  componentType: 'component',
  primary: 'lastLine',
  description: "The console's own intake: newest line per source (silent is warn), whether its follow thread writes (paused on database errors is warn, then fail), unread bytes, unparsed share.",
  run,
};
