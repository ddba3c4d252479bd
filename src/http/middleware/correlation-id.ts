/**
 * Our own requests carry a correlation id, as the cp's do: a well-formed
 * incoming X-Correlation-Id (16 hex) is kept, anything else is replaced by a
 * fresh one. It goes back in the response header, into every log line of the
 * request and into every error envelope.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

const WELL_FORMED = /^[0-9a-f]{16}$/i;

export function correlationIdFor(req: IncomingMessage): string {
  const got = req.headers['x-correlation-id'];
  const v = Array.isArray(got) ? got[0] : got;
  return v && WELL_FORMED.test(v) ? v.toLowerCase() : randomBytes(8).toString('hex');
}

/** pino-http's genReqId: assigns the id and echoes it in the response. */
export function genCorrelationId(req: IncomingMessage, res: ServerResponse): string {
  const cid = correlationIdFor(req);
  res.setHeader('X-Correlation-Id', cid);
  return cid;
}
