/**
 * Who may reach a route, as express middleware to put in front of a handler:
 *
 *   r.get('/v1/search', requireOperator, handler)
 *   r.post('/v1/ingest', requireIngest, handler)
 *   r.get('/diag/wok/:id', requireCustomerOrOperator, handler)   // then wokFor(...) for the wok rule
 *
 * Errors follow the caller: customers get the platform's own CP_ codes (as the
 * cp would answer their key), operators and programs get DIAG_ codes; a
 * browser that is not signed in is sent to /login and back.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { CredentialProblem, Principal } from '../../access/principal.js';
import { PLATFORM_KEY_SHAPE_TEXT } from '../../access/customer-keys.js';
import { DiagError } from '../../errors/diag-error.js';
import { wantsHtml } from './error-handler.js';
import { safeNext } from './safe-next.js';
import { backToSignIn, isBrowserForm } from './signed-out.js';

const CHALLENGE = { 'WWW-Authenticate': 'Bearer realm="tellwang-diag"' };

export { safeNext } from './safe-next.js';

function toLogin(req: Request, res: Response): boolean {
  if ((req.method !== 'GET' && req.method !== 'HEAD') || !wantsHtml(req) || req.headers.authorization !== undefined) return false;
  res.redirect(303, `/login?next=${encodeURIComponent(safeNext(req.originalUrl))}`);
  return true;
}

/** The DIAG_ error for a failed or missing credential on an operator or ingest route. */
function consoleAuthError(problem: CredentialProblem | null): DiagError {
  const message =
    problem === null
      ? 'sign in, or send Authorization: Bearer <sdo_… token>'
      : problem.kind === 'console-token'
        ? 'the console token is revoked or unknown'
        : problem.kind === 'malformed'
          ? 'the Authorization header is not "Bearer <token>"'
          : 'the credential sent is not a valid console token';
  return new DiagError('DIAG_UNAUTHENTICATED', message, { headers: CHALLENGE });
}

/** The platform's error for a failed or missing key on a customer route, as the cp answers it. */
export function platformAuthError(problem: CredentialProblem | null): DiagError {
  const h = { headers: CHALLENGE };
  if (problem === null) return DiagError.platform('CP_UNAUTHENTICATED', 'no credentials: send Authorization: Bearer <skl_…>', h);
  switch (problem.kind) {
    case 'malformed':
      return DiagError.platform('CP_UNAUTHENTICATED', 'the Authorization header is not "Bearer <key>"', h);
    case 'shape':
      return DiagError.platform('CP_INVALID_KEY', `the Bearer value is not the shape of a key (${PLATFORM_KEY_SHAPE_TEXT})`, h);
    case 'platform-key':
      return DiagError.platform('CP_UNAUTHENTICATED', `the key ${problem.prefix}… is revoked or unknown`, h);
    case 'llm-key':
      return problem.valid
        ? DiagError.platform('CP_UNAUTHENTICATED', `${problem.prefix}… is an LLM gateway key; send your skl_ key`, h)
        : DiagError.platform('CP_LLM_KEY_INVALID', `the key ${problem.prefix}… is revoked or unknown`, h);
    case 'console-token':
      return consoleAuthError(problem);
  }
}

function forbidden(p: Principal, what: string): DiagError {
  return new DiagError('DIAG_FORBIDDEN', `${p.kind === 'ingest' ? 'an ingest token' : p.kind === 'customer' ? 'a customer key' : 'this credential'} may not ${what}`);
}

/** Operators only (signed in, or an operator-scope token). */
export const requireOperator: RequestHandler = (req, res, next) => {
  const p = req.principal;
  if (p.kind === 'operator') return next();
  if (p.kind === 'customer' || p.kind === 'ingest') return next(forbidden(p, 'use this route; it is for operators'));
  // A form posted by a browser whose session has ended: back to sign-in, keeping what the form carried.
  if (!req.credentialProblem && isBrowserForm(req)) return backToSignIn(req, res, next);
  if (!req.credentialProblem && toLogin(req, res)) return;
  next(consoleAuthError(req.credentialProblem));
};

/** Pushing logs: an ingest-scope token, or an operator. */
export const requireIngest: RequestHandler = (req, _res, next) => {
  const p = req.principal;
  if (p.kind === 'ingest' || p.kind === 'operator') return next();
  if (p.kind === 'customer') return next(forbidden(p, 'push logs'));
  next(consoleAuthError(req.credentialProblem));
};

/**
 * A customer's own data (their woks' diagnostics, their tickets) or any
 * operator. Scope the answer to `req.principal.org` for customers — for woks,
 * with wokFor() from src/access/wok-access.ts.
 */
export const requireCustomerOrOperator: RequestHandler = (req, res, next) => {
  const p = req.principal;
  if (p.kind === 'operator' || p.kind === 'customer') return next();
  if (p.kind === 'ingest') return next(forbidden(p, 'read diagnostics'));
  if (!req.credentialProblem && toLogin(req, res)) return;
  next(platformAuthError(req.credentialProblem));
};

/**
 * Deny by default: every path not listed as open requires an operator, so a
 * route added without a guard is still closed. Open paths (the sign-in pages,
 * /healthz, customer and ingest routes) apply their own guard. A string ending
 * in "/" opens everything under it; any other string opens itself and its
 * sub-paths; a RegExp opens the paths it matches.
 */
export function requireOperatorExcept(open: readonly (string | RegExp)[]): RequestHandler {
  const isOpen = (path: string) =>
    open.some((o) => (typeof o !== 'string' ? o.test(path) : o.endsWith('/') ? path.startsWith(o) : path === o || path.startsWith(`${o}/`)));
  return (req: Request, res: Response, next: NextFunction) => {
    if (isOpen(req.path)) return next();
    requireOperator(req, res, next);
  };
}
