/**
 * CSRF protection for signed-in browsers: every state-changing request made
 * with the session cookie must carry the session's form token, as the hidden
 * field `_csrf` of a form (what the pages render) or an `X-CSRF-Token` header
 * (for scripts). Requests authenticated by an Authorization header are not
 * exposed (a browser never adds that header on its own) and pass. The sign-in
 * form itself, made before any session exists, is protected in routes/auth.ts.
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import { sameSecret } from '../../access/digest.js';
import { DiagError } from '../../errors/diag-error.js';

/** Largest form body (the paste box takes up to 64 KiB of text, URL-encoded). */
export const FORM_LIMIT = 128 * 1024;
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function sentToken(req: Request): string | null {
  const body = req.body as Record<string, unknown> | undefined;
  const field = body && typeof body === 'object' ? body._csrf : undefined;
  if (typeof field === 'string' && field) return field;
  const header = req.headers['x-csrf-token'];
  return typeof header === 'string' && header ? header : null;
}

export function csrfProtection() {
  // Parsed here, once, so the token can be read before any route runs; routes' own form parsers then skip.
  const form = express.urlencoded({ extended: false, limit: FORM_LIMIT, parameterLimit: 20 });
  return (req: Request, res: Response, next: NextFunction): void => {
    const p = req.principal;
    if (!UNSAFE.has(req.method) || p.kind !== 'operator' || p.via !== 'session' || !p.csrfToken) return next();
    const expected = p.csrfToken;
    form(req, res, (err?: unknown) => {
      if (err) return next(err);
      const sent = sentToken(req);
      if (!sent || sent.length > 200 || !sameSecret(sent, expected)) {
        return next(new DiagError('DIAG_CSRF_REJECTED', sent ? 'the form token does not match this sign-in session' : 'the form carries no _csrf token'));
      }
      next();
    });
  };
}
