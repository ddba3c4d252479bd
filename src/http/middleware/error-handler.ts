/**
 * The one place that writes error bodies: the platform's envelope for API
 * callers, an error page for browsers — same code, message, hint and
 * correlation id either way, never a stack trace.
 */
import type { NextFunction, Request, Response } from 'express';
import { codeOf, type CodedError } from '../../errors/coded-error.js';
import { isHttpCode } from '../../errors/diag-codes.js';
import { DiagError, envelope } from '../../errors/diag-error.js';
import type { Logger } from '../../logging/logger.js';

interface BodyParserError {
  type?: string;
  limit?: number;
  status?: number;
}

/**
 * Maps anything thrown to a DiagError: a coded error by its code's status in
 * the table (diag-codes.ts), with what a caller may read of it; unknown
 * faults, and codes that are no answer of the API, become DIAG_INTERNAL (and
 * are logged with their stack).
 */
export function toDiagError(err: unknown): DiagError {
  if (err instanceof DiagError) return err;
  const code = codeOf(err);
  if (code !== null && isHttpCode(code)) return new DiagError(code, (err as CodedError).callerMessage, { cause: err });
  const bp = (err ?? {}) as BodyParserError;
  switch (bp.type) {
    case 'entity.too.large':
      return new DiagError('DIAG_BODY_TOO_LARGE', `the request body is over the limit of ${bp.limit ?? '?'} bytes`);
    case 'entity.parse.failed':
      return new DiagError('DIAG_BAD_REQUEST', 'the request body is not valid JSON');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new DiagError('DIAG_UNSUPPORTED_MEDIA_TYPE', 'the request body has an encoding or charset this route does not take');
    case 'request.aborted':
      return new DiagError('DIAG_BAD_REQUEST', 'the request body was cut off');
    case 'parameters.too.many':
      return new DiagError('DIAG_BAD_REQUEST', 'the form has too many fields');
  }
  if (bp.status === 400) return new DiagError('DIAG_BAD_REQUEST', 'the request is malformed');
  return new DiagError('DIAG_INTERNAL', 'the console failed to answer this request', { cause: err });
}

/** Browsers get a page; /v1 and anything asking for JSON get the envelope. */
export function wantsHtml(req: Request): boolean {
  if (req.path.startsWith('/v1/') || req.path === '/v1') return false;
  return req.accepts(['json', 'html']) === 'html';
}

export function errorHandler(logger: Logger) {
  return (err: unknown, req: Request, res: Response, next: NextFunction): void => {
    const e = toDiagError(err);
    const cid = String(req.id ?? '');
    if (e.code === 'DIAG_INTERNAL' || e.code === 'DIAG_STORE_UNAVAILABLE') {
      (req.log ?? logger).error({ err: err instanceof Error ? err : new Error(String(err)), correlation_id: cid }, 'request failed');
    }
    if (res.headersSent) return next(err);
    res.status(e.http);
    for (const [k, v] of Object.entries(e.headers)) res.setHeader(k, v);
    res.setHeader('Cache-Control', 'no-store');
    const body = envelope(e.code, e.message, e.hint, cid);
    if (wantsHtml(req)) {
      // A page asked for with a parameter it does not take or cannot read: offer the same page without the query.
      const plain = e.code === 'DIAG_INVALID_QUERY' && req.method === 'GET' ? req.path : null;
      res.render('error', { title: `${e.http} · ${e.code}`, error: body.error, status: e.http, plain }, (renderErr: Error | null, html?: string) => {
        if (renderErr) res.type('json').send(JSON.stringify(body));
        else res.type('html').send(html);
      });
      return;
    }
    res.type('json').send(JSON.stringify(body));
  };
}

/** Last route: nothing matched. */
export function routeNotFound(req: Request, _res: Response, next: NextFunction): void {
  next(new DiagError('DIAG_ROUTE_NOT_FOUND', `no route at ${req.method} ${req.path.slice(0, 200)}`));
}

/** For a path that exists: any other method is 405 with Allow. */
export function methodNotAllowed(allowed: string[]) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    next(new DiagError('DIAG_METHOD_NOT_ALLOWED', `${req.method} is not allowed on ${req.path.slice(0, 200)}; allowed: ${allowed.join(', ')}`, { headers: { Allow: allowed.join(', ') } }));
  };
}
