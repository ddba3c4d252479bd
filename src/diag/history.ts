/**
 * Health over time, from the stored check results: episodes (a run of
 * non-pass results of one check, "cp_db was failing 14:02–14:05"), state
 * changes (for the timeline and "what changed since the last look"), and
 * the episodes around a moment (for a ticket).
 */
import type { CheckRecord, CheckStatus } from '../model/health.js';
import { NOT_CONFIGURED } from './check.js';

export interface Episode {
  check: string;
  status: Exclude<CheckStatus, 'pass'>;
  /** First stored result in this state. */
  from: number;
  /** Last stored result in this state. */
  lastSeen: number;
  /** When a result in another state was first stored after it; null while it lasts (or its end is unknown). */
  to: number | null;
  output: string | null;
}

export interface Change {
  check: string;
  time: number;
  from: CheckStatus | null;
  to: CheckStatus;
  output: string | null;
}

/** Results two loop intervals apart or more say nothing about the time between: a gap ends an episode. */
export interface HistoryOptions {
  maxGapMs: number;
}

function byCheck(records: readonly CheckRecord[]): Map<string, CheckRecord[]> {
  const m = new Map<string, CheckRecord[]>();
  for (const r of records) {
    const list = m.get(r.check);
    if (list) list.push(r);
    else m.set(r.check, [r]);
  }
  for (const list of m.values()) list.sort((a, b) => a.time - b.time);
  return m;
}

/** A "not configured" reading says nothing about health: it never shares an episode with a finding of the same status. */
function notConfigured(output: string | null): boolean {
  return output?.startsWith(NOT_CONFIGURED) ?? false;
}

export function episodes(records: readonly CheckRecord[], o: HistoryOptions): Episode[] {
  const out: Episode[] = [];
  for (const [check, rs] of byCheck(records)) {
    let cur: Episode | null = null;
    for (const r of rs) {
      if (cur && (r.status !== cur.status || r.time - cur.lastSeen > o.maxGapMs || notConfigured(r.output) !== notConfigured(cur.output))) {
        cur.to = r.time - cur.lastSeen > o.maxGapMs ? null : r.time;
        out.push(cur);
        cur = null;
      }
      if (r.status === 'pass') continue;
      if (!cur) cur = { check, status: r.status, from: r.time, lastSeen: r.time, to: null, output: r.output };
      else cur.lastSeen = r.time;
    }
    if (cur) out.push(cur);
  }
  return out.sort((a, b) => a.from - b.from || a.check.localeCompare(b.check));
}

/** The episodes under way at `time` (within the gap tolerance of their last result). */
export function episodesAt(records: readonly CheckRecord[], time: number, o: HistoryOptions): Episode[] {
  return episodes(records, o).filter((e) => e.from <= time && (e.to !== null ? time < e.to : time <= e.lastSeen + o.maxGapMs));
}

/** Every change of state, oldest first; the first result of each check is a change from null. */
export function changes(records: readonly CheckRecord[]): Change[] {
  const out: Change[] = [];
  for (const [check, rs] of byCheck(records)) {
    let prev: CheckStatus | null = null;
    for (const r of rs) {
      if (r.status !== prev) out.push({ check, time: r.time, from: prev, to: r.status, output: r.output });
      prev = r.status;
    }
  }
  return out.sort((a, b) => a.time - b.time || a.check.localeCompare(b.check));
}

/** "14:02–14:05" / "since 14:02", in UTC. */
export function episodeSpan(e: Episode): string {
  const hm = (t: number) => new Date(t).toISOString().slice(11, 16);
  return e.to === null ? `${hm(e.from)}–${hm(e.lastSeen)}` : `${hm(e.from)}–${hm(e.to)}`;
}

export interface Segment {
  status: CheckStatus | 'unknown';
  from: number;
  to: number;
  output: string | null;
}

/**
 * One check's states over [from, to): each result holds until the next one
 * (or for maxGapMs at most); what no result covers is `unknown`. Results in
 * one state run together, except that a "not configured" warning and a
 * warning with a finding are never one segment; a segment says what its
 * newest result said, so a strip never describes a warning that is now only
 * "not configured" with the failure before it.
 */
export function segments(records: readonly CheckRecord[], from: number, to: number, o: HistoryOptions): Segment[] {
  const rs = [...records].sort((a, b) => a.time - b.time);
  const out: Segment[] = [];
  const push = (s: Segment) => {
    if (s.to <= s.from) return;
    const prev = out[out.length - 1];
    if (prev && prev.status === s.status && prev.to === s.from && notConfigured(prev.output) === notConfigured(s.output)) {
      prev.to = s.to;
      if (s.output !== null) prev.output = s.output;
    } else out.push({ ...s });
  };
  let cursor = from;
  for (let i = 0; i < rs.length; i++) {
    const r = rs[i]!;
    const next = rs[i + 1];
    const start = Math.max(r.time, from);
    const end = Math.min(next ? next.time : to, r.time + o.maxGapMs, to);
    if (end <= from || start >= to) continue;
    if (start > cursor) push({ status: 'unknown', from: cursor, to: start, output: null });
    push({ status: r.status, from: start, to: end, output: r.output });
    cursor = Math.max(cursor, end);
  }
  if (cursor < to) push({ status: 'unknown', from: cursor, to, output: null });
  return out;
}
