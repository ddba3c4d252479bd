/**
 * The cp's pino / pino-http lines → CpEvent.
 *
 * Both configurations seen in production are handled: the id only in `req.id`
 * (pino-http's genReqId) and `correlation_id` on every line (a child logger).
 * Lines without `req` join their request through whichever id they carry.
 */
import { levelRank, pinoLevel, type CpEvent, type HttpInfo, type Json, type Level } from '../../model/event.js';
import { keyPrefix } from '../../model/inventory.js';
import { wokFromPath } from '../../model/request.js';
import { isObj, num, pinoCid, pinoCode, pinoErr, restFields, str, type Obj } from './pino-fields.js';

/** Request headers worth keeping; the rest repeat on every request and explain nothing. */
const KEPT_REQUEST_HEADERS = ['user-agent', 'x-forwarded-for', 'x-llm-source'];

const LIFTED = new Set([
  'level', 'time', 'msg', 'req', 'res', 'responseTime', 'err', 'error', 'code', 'error_code',
  'correlation_id', 'correlationId', 'reqId', 'request_id', 'requestId', 'wok_id', 'wok', 'org', 'org_slug', 'user', 'user_id', 'v',
]);

export function isPinoRecord(o: Obj): boolean {
  return typeof o.level === 'number' && typeof o.time === 'number';
}

function statusLevel(status: number): Level {
  if (status >= 500) return 'error';
  if (status >= 400) return 'warn';
  return 'info';
}

/** The logged `Authorization` value's key prefix (`skl_1a2b3c4d`), read before anything is redacted. */
export function authKeyPrefix(headers: unknown): string | null {
  if (!isObj(headers)) return null;
  const auth = str(headers.authorization) ?? str(headers.Authorization);
  if (!auth) return null;
  const m = /^\s*Bearer\s+(\S+)/i.exec(auth);
  return m ? keyPrefix(m[1]!) : null;
}

/**
 * The request a completion line ends. pino-http with `quietResLogger` writes
 * that line without `req` (only `res` and `responseTime`): it is still the
 * request's end, with its status and duration; method and path are then ''
 * (not logged), and other lines of the request may name them.
 */
function httpInfo(o: Obj, req: Obj | null, res: Obj): HttpInfo | null {
  const status = num(res.statusCode) ?? num(res.status);
  if (status === null) return null;
  const method = req ? str(req.method) : null;
  const url = req ? (str(req.url) ?? str(req.path)) : null;
  if ((method === null || url === null) && (req !== null || num(o.responseTime) === null)) return null;
  return {
    method: method ?? '',
    path: url ?? '',
    status,
    durationMs: num(o.responseTime) ?? num(o.duration_ms),
    keyPrefix: req ? authKeyPrefix(req.headers) : null,
    user: str(o.user) ?? str(o.user_id),
    remoteAddress: req ? (str(req.remoteAddress) ?? str(req.ip)) : null,
  };
}

export function parseCpRecord(o: Obj, id: string): CpEvent {
  const req = isObj(o.req) ? o.req : null;
  const res = isObj(o.res) ? o.res : null;
  const http = res ? httpInfo(o, req, res) : null;
  const err = pinoErr(o);
  const code = pinoCode(o, err);
  let level = pinoLevel(o.level);
  // pino-http may log a failed request at info: the status decides.
  if (http && levelRank(statusLevel(http.status)) > levelRank(level)) level = statusLevel(http.status);
  const fields = restFields(o, LIFTED);
  if (req) {
    const kept: { [k: string]: Json } = {};
    if (isObj(req.headers)) {
      for (const h of KEPT_REQUEST_HEADERS) if (req.headers[h] !== undefined) kept[h] = req.headers[h] as Json;
    }
    if (Object.keys(kept).length) fields.headers = kept;
    if (!http) {
      if (typeof req.method === 'string') fields.method = req.method;
      if (typeof req.url === 'string') fields.url = req.url;
    }
  }
  const path = http?.path || (req ? str(req.url) : null);
  return {
    source: 'cp',
    id,
    time: o.time as number,
    cid: pinoCid(o),
    level,
    code,
    wok: str(o.wok_id) ?? str(o.wok) ?? (path ? wokFromPath(path) : null),
    org: str(o.org) ?? str(o.org_slug),
    message: str(o.msg) ?? err?.message ?? '',
    fields,
    http,
    err,
  };
}
