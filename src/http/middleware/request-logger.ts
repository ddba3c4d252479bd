/**
 * pino-http for our own requests: the correlation id is `req.id` and also
 * `correlation_id` on every line (both cp configurations at once), headers go
 * through the same redaction as ingested logs, and so do the URL and errors.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pinoHttp } from 'pino-http';
import type { Json } from '../../model/event.js';
import type { Redactor } from '../../redact/redactor.js';
import type { Logger } from '../../logging/logger.js';
import { genCorrelationId } from './correlation-id.js';

function redactHeaders(r: Redactor, h: Record<string, unknown> | undefined): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const [k, v] of Object.entries(h ?? {})) out[k] = r.header(k, (v ?? null) as Json);
  return out;
}

/** Errors as pino writes them, with their message and stack passed through the same redaction. */
function redactErr(r: Redactor, err: unknown): Record<string, Json> {
  if (!(err instanceof Error)) return { message: r.text(String(err)) };
  const e = err as Error & { code?: unknown; status?: unknown };
  const out: Record<string, Json> = { type: e.name, message: r.text(e.message) };
  if (e.stack) out.stack = r.text(e.stack);
  if (typeof e.code === 'string' || typeof e.code === 'number') out.code = e.code;
  if (typeof e.status === 'number') out.status = e.status;
  return out;
}

export function requestLogger(logger: Logger, redactor: Redactor) {
  return pinoHttp({
    logger,
    genReqId: genCorrelationId,
    customProps: (req: IncomingMessage) => ({ correlation_id: req.id }),
    customLogLevel: (_req: IncomingMessage, res: ServerResponse, err?: Error) =>
      err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
    serializers: {
      req: (req: { id: unknown; method: string; url: string; headers: Record<string, unknown>; remoteAddress?: string }) => ({
        id: req.id,
        method: req.method,
        url: redactor.text(req.url),
        headers: redactHeaders(redactor, req.headers),
        remoteAddress: req.remoteAddress,
      }),
      res: (res: { statusCode: number; headers: Record<string, unknown> }) => ({ statusCode: res.statusCode, headers: redactHeaders(redactor, res.headers) }),
      err: (err: unknown) => redactErr(redactor, err),
    },
  });
}
