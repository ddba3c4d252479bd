/**
 * Operator sign-in and sign-out. GET /login shows the form; POST /login checks
 * the password (argon2id), throttled per (account, address) and per address
 * and slowed per account (login-throttle.ts), and starts
 * a session; POST /logout ends it. The sign-in form is protected against
 * login CSRF by a double-submit token: a random value in a SameSite=Strict
 * cookie scoped to /login that the form must echo.
 */
import express, { Router, type Request, type Response } from 'express';
import { randomSecret, sameSecret } from '../../access/digest.js';
import { verifyPassword } from '../../access/passwords.js';
import { endSession, SESSION_TTL_MS, startSession } from '../../access/sessions.js';
import { DiagError } from '../../errors/diag-error.js';
import type { AppDeps } from '../app-deps.js';
import { methodNotAllowed } from '../middleware/error-handler.js';
import { safeNext } from '../middleware/safe-next.js';
import { queryShape, readQuery, text } from '../query.js';
import { DEFAULT_THROTTLE, LoginThrottle } from '../middleware/login-throttle.js';
import { clearSessionCookies, setSessionCookie } from '../middleware/session-cookie.js';

/** The sign-in page takes where to go afterwards, and nothing else. */
const LOGIN_QUERY = queryShape({ next: text((raw) => safeNext(raw)) });

const LOGIN_CSRF_COOKIE = 'diag_login_csrf';
const LOGIN_FORM_LIMIT = 8 * 1024;

interface LoginForm {
  email: string;
  password: string;
  csrf: string;
  next: string;
}

function readForm(body: unknown): LoginForm {
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const s = (k: string) => (typeof b[k] === 'string' ? (b[k] as string) : '');
  return { email: s('email').trim().slice(0, 254), password: s('password'), csrf: s('_csrf'), next: safeNext(s('next')) };
}

export function authRoutes(deps: AppDeps): Router {
  const r = Router();
  const form = express.urlencoded({ extended: false, limit: LOGIN_FORM_LIMIT, parameterLimit: 10 });
  const throttle = new LoginThrottle(deps.config.access?.throttle ?? DEFAULT_THROTTLE, (spec) => deps.store.limiter(spec));
  const ttl = deps.config.access?.sessionTtlMs ?? SESSION_TTL_MS;

  function showForm(req: Request, res: Response, status: number, next: string, email: string, error: string | null): void {
    const csrf = randomSecret(24);
    res.cookie(LOGIN_CSRF_COOKIE, csrf, { httpOnly: true, sameSite: 'strict', secure: req.secure, path: '/login', maxAge: 3_600_000 });
    res.status(status).render('login', { title: 'Sign in · tellwang-diag', next, email, error, loginCsrf: csrf });
  }

  r.route('/login')
    .get((req, res) => {
      const next = readQuery(LOGIN_QUERY, req.query).next;
      if (req.principal.kind === 'operator' && req.principal.via === 'session') return res.redirect(303, next);
      showForm(req, res, 200, next, '', null);
    })
    .post(form, async (req, res) => {
      const f = readForm(req.body);
      const cookie = (req.cookies as Record<string, unknown> | undefined)?.[LOGIN_CSRF_COOKIE];
      if (typeof cookie !== 'string' || !f.csrf || f.csrf.length > 100 || !sameSecret(cookie, f.csrf)) {
        throw new DiagError('DIAG_CSRF_REJECTED', 'the sign-in form expired or did not come from this site; reload it and sign in again');
      }
      const ip = req.ip ?? req.socket.remoteAddress ?? 'unknown';
      const admitted = await throttle.admit(f.email, ip);
      // An account under attack: a sign-in from an address it has not seen waits first (the same wait, right password or not).
      if (admitted.delayMs > 0) await new Promise((r) => setTimeout(r, admitted.delayMs));
      const op = f.email ? await deps.store.operatorByEmail(f.email) : null;
      const ok = (await verifyPassword(op?.passwordHash ?? null, f.password)) && op !== null && op.disabledAt === null;
      if (!ok || !op) {
        await throttle.failed(f.email);
        req.log?.warn({ login: 'failed', account_known: op !== null, slowed_ms: admitted.delayMs }, 'sign-in failed');
        return showForm(req, res, 401, f.next, f.email, 'Email or password is wrong, or the account is disabled.');
      }
      await throttle.succeeded(f.email, ip);
      // A session this browser had before is ended: one sign-in, one fresh id.
      if (req.principal.kind === 'operator' && req.principal.sessionIdHash) await endSession(deps.store, req.principal.sessionIdHash);
      const s = await startSession(deps.store, op, deps.clock.now(), ttl);
      setSessionCookie(req, res, s.id, ttl);
      res.clearCookie(LOGIN_CSRF_COOKIE, { httpOnly: true, sameSite: 'strict', secure: req.secure, path: '/login' });
      req.log?.info({ login: 'ok', operator: op.email }, 'signed in');
      res.redirect(303, f.next);
    })
    .all(methodNotAllowed(['GET', 'POST']));

  // The CSRF middleware has already checked the form token of a signed-in session.
  r.route('/logout')
    .post(async (req, res) => {
      const p = req.principal;
      if (p.kind === 'operator' && p.via === 'session' && p.sessionIdHash) await endSession(deps.store, p.sessionIdHash);
      clearSessionCookies(req, res);
      res.redirect(303, '/login');
    })
    .all(methodNotAllowed(['POST']));

  return r;
}
