/**
 * What a block's `summary` column holds: for a cp block, the requests its
 * lines ended; for an audit block, its audit records — as JSON arrays of
 * tuples, written with the block in one row instead of a row each.
 */
import type { AuditRecord } from '../model/activity.js';
import type { RequestSummary } from '../model/request.js';

type RequestTuple = [number, string, string, string, number, string | null, string | null, string | null, string | null, string | null, number | null, string | null];
type AuditTuple = [number, number, string | null, string | null, string | null, string | null, string, string | null];

export function requestTuple(r: RequestSummary): RequestTuple {
  return [r.time, r.cid, r.method, r.path, r.status, r.code, r.org, r.user, r.keyPrefix, r.wok, r.durationMs, r.message];
}

export function requestsFrom(summary: string): RequestSummary[] {
  return (JSON.parse(summary) as RequestTuple[]).map((t) => ({
    time: t[0],
    cid: t[1],
    method: t[2],
    path: t[3],
    status: t[4],
    code: t[5],
    org: t[6],
    user: t[7],
    keyPrefix: t[8],
    wok: t[9],
    durationMs: t[10],
    message: t[11],
  }));
}

/** An audit record as a tuple; its event id is rebuilt from the stream key and the offset. */
export function auditTuple(a: AuditRecord, offset: number): AuditTuple {
  return [offset, a.time, a.cid, a.actor, a.org, a.wok, a.action, a.outcome];
}

export function auditsFrom(summary: string, streamKey: string): AuditRecord[] {
  return (JSON.parse(summary) as AuditTuple[]).map((t) => ({
    eventId: `${streamKey}:${t[0]}`,
    time: t[1],
    cid: t[2],
    actor: t[3],
    org: t[4],
    wok: t[5],
    action: t[6],
    outcome: t[7],
  }));
}

/** A request that failed, or named a platform code: it also gets a row of its own (failures table). */
export function isFailure(r: RequestSummary): boolean {
  return r.status >= 400 || r.code !== null;
}
