/**
 * Field extraction shared by the two pino producers we read: the cp (pino-http)
 * and the functions runtime inside its container. Pure: objects in, values out.
 */
import { CODE_PATTERN } from '../../catalog/catalog.js';
import { canonicalCid, type ErrInfo, type Json } from '../../model/event.js';
import { setOwn } from '../../model/own-key.js';

export type Obj = { [key: string]: unknown };

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

export function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** Top-level keys that carry the correlation id, in order of preference. */
const CID_KEYS = ['correlation_id', 'correlationId', 'reqId', 'request_id', 'requestId'] as const;

/**
 * The correlation id of a pino line, from whichever place the producer put it:
 * a top-level key, `req.id` (pino-http's genReqId), or an `x-correlation-id`
 * header on the response or the request.
 */
export function pinoCid(o: Obj): string | null {
  for (const k of CID_KEYS) {
    const c = canonicalCid(o[k]);
    if (c) return c;
  }
  const req = isObj(o.req) ? o.req : null;
  const res = isObj(o.res) ? o.res : null;
  return (
    canonicalCid(req?.id) ??
    canonicalCid(isObj(res?.headers) ? res.headers['x-correlation-id'] : undefined) ??
    canonicalCid(isObj(req?.headers) ? req.headers['x-correlation-id'] : undefined)
  );
}

export function platformCode(v: unknown): string | null {
  return typeof v === 'string' && CODE_PATTERN.test(v) ? v : null;
}

/** `err` as pino's serializer writes it, or an `error` object (the envelope's shape), or null. */
export function pinoErr(o: Obj): ErrInfo | null {
  const e = isObj(o.err) ? o.err : isObj(o.error) ? o.error : null;
  if (!e) return null;
  return {
    type: str(e.type) ?? str(e.name),
    message: str(e.message),
    code: platformCode(e.code) ?? (str(e.code) !== null ? String(e.code) : null),
    hint: str(e.hint),
    status: num(e.status) ?? num(e.statusCode),
    stack: str(e.stack),
  };
}

/** The platform code a line names, wherever it put it. */
export function pinoCode(o: Obj, err: ErrInfo | null): string | null {
  return (
    platformCode(err?.code) ??
    platformCode(o.code) ??
    platformCode(o.error_code) ??
    platformCode(isObj(o.error) ? o.error.code : undefined)
  );
}

/** The rest of a line, minus the keys already lifted into the event. */
export function restFields(o: Obj, lifted: ReadonlySet<string>): { [k: string]: Json } {
  const out: { [k: string]: Json } = {};
  for (const k in o) {
    if (!lifted.has(k)) setOwn(out, k, o[k] as Json);
  }
  return out;
}
