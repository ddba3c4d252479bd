/**
 * What a browser sees once its session has ended (signed out in another tab,
 * expired, the account disabled), instead of API language or a quiet drop
 * to the anonymous view:
 *
 * - every page it opens shows a banner saying it is signed out, with a
 *   sign-in link back to that page (`signedOutBanner`, in the layout);
 * - a form it posts to an operator route is answered with the sign-in page,
 *   and what the form carried is kept in `next`: the paste box's ids (or its
 *   text, when it holds none) come back as `/?q=…`, so signing in runs the
 *   lookup (`backToSignIn`).
 *
 * API callers (asking for JSON, or sending Authorization) are not browsers
 * and keep getting the 401 envelope.
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import { analysePaste } from '../../queries/paste.js';
import { FORM_LIMIT } from './csrf.js';
import { wantsHtml } from './error-handler.js';
import { NEXT_MAX, safeNext } from './safe-next.js';
import { wasSignedIn } from './session-cookie.js';

const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data'];

/** A form a person submitted from a page: not JSON, no Authorization header. */
export function isBrowserForm(req: Request): boolean {
  return req.method === 'POST' && req.headers.authorization === undefined && wantsHtml(req) && FORM_TYPES.some((t) => req.is(t) === t);
}

/**
 * The paste box's text as a GET of the same lookup. A URL ends up in browser
 * history and logs, so when the text holds correlation ids only they travel
 * (the lookup finds the same ticket); text without an id travels as it is,
 * cut to fit.
 */
function lookupAgain(text: string): string {
  const r = analysePaste(text);
  const ids = r.kind === 'one' ? [r.cid] : r.kind === 'many' ? r.cids : [];
  if (ids.length) return `/?q=${encodeURIComponent(ids.join(' '))}`.slice(0, NEXT_MAX);
  const whole = `/?q=${encodeURIComponent(text)}`;
  return whole.length <= NEXT_MAX ? whole : `/?q=${encodeURIComponent(text.slice(0, 600))}`;
}

/** Where each operator form continues after signing in again, from what it posted. */
const RESUME: Record<string, (body: Record<string, unknown>) => string> = {
  '/lookup': (b) => (typeof b.text === 'string' && b.text.trim() !== '' ? lookupAgain(b.text) : '/'),
};

/** Same-site page the form was on (Referer), as a fallback for forms without their own way back. */
function formPage(req: Request): string {
  const ref = req.headers.referer;
  if (typeof ref !== 'string') return '/';
  try {
    const u = new URL(ref);
    return u.host === req.headers.host ? safeNext(u.pathname + u.search) : '/';
  } catch {
    return '/';
  }
}

const parseForm = express.urlencoded({ extended: false, limit: FORM_LIMIT, parameterLimit: 20 });

/** Answers a signed-out browser's form with the sign-in page (303), keeping what it carried in `next`. */
export function backToSignIn(req: Request, res: Response, next: NextFunction): void {
  parseForm(req, res, (err?: unknown) => {
    if (err) return next(err);
    const body = (req.body && typeof req.body === 'object' ? req.body : {}) as Record<string, unknown>;
    const resume = RESUME[req.path];
    const to = safeNext(resume ? resume(body) : formPage(req));
    res.redirect(303, `/login?next=${encodeURIComponent(to)}`);
  });
}

/** Sets `signedOut` for the layout when this browser was signed in and no longer is. */
export function signedOutBanner(req: Request, res: Response, next: NextFunction): void {
  if (req.principal.kind !== 'operator' && req.headers.authorization === undefined && wasSignedIn(req)) {
    const here = req.method === 'GET' && req.path !== '/login' ? safeNext(req.originalUrl) : '/';
    res.locals.signedOut = { onLogin: req.path === '/login', signIn: `/login?next=${encodeURIComponent(here)}` };
  }
  next();
}
