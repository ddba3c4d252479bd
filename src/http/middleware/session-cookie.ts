/**
 * The session cookie: HttpOnly, SameSite=Lax, Path=/, and Secure when the
 * request came over TLS (or through a trusted proxy that says so, see
 * DIAG_TRUST_PROXY) — then under the `__Host-` name, which browsers accept
 * only from a secure origin, for the whole host, never a parent domain.
 */
import type { Request, Response } from 'express';

export const SESSION_COOKIE = 'diag_session';
export const SECURE_SESSION_COOKIE = '__Host-diag_session';
export const SESSION_COOKIES = [SECURE_SESSION_COOKIE, SESSION_COOKIE] as const;

export function setSessionCookie(req: Request, res: Response, id: string, maxAgeMs: number): void {
  res.cookie(req.secure ? SECURE_SESSION_COOKIE : SESSION_COOKIE, id, {
    httpOnly: true,
    sameSite: 'lax',
    secure: req.secure,
    path: '/',
    maxAge: maxAgeMs,
  });
}

export function clearSessionCookies(req: Request, res: Response): void {
  for (const name of SESSION_COOKIES) {
    if (req.cookies?.[name] !== undefined) res.clearCookie(name, { httpOnly: true, sameSite: 'lax', secure: name === SECURE_SESSION_COOKIE || req.secure, path: '/' });
  }
}
