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

/**
 * Set beside the session at every sign-in and kept after it ends (sign-out,
 * expiry, a disabled account): this browser was signed in, so a page it
 * opens without a session says "you are signed out" instead of quietly
 * showing the anonymous view. It holds nothing but "1".
 */
export const WAS_SIGNED_IN_COOKIE = 'diag_was_signed_in';
const WAS_SIGNED_IN_MS = 30 * 86_400_000;

export function setSessionCookie(req: Request, res: Response, id: string, maxAgeMs: number): void {
  res.cookie(req.secure ? SECURE_SESSION_COOKIE : SESSION_COOKIE, id, {
    httpOnly: true,
    sameSite: 'lax',
    secure: req.secure,
    path: '/',
    maxAge: maxAgeMs,
  });
  res.cookie(WAS_SIGNED_IN_COOKIE, '1', { httpOnly: true, sameSite: 'lax', secure: req.secure, path: '/', maxAge: WAS_SIGNED_IN_MS });
}

/** Whether the browser says it was signed in: the marker, or a session cookie the server no longer knows. */
export function wasSignedIn(req: Request): boolean {
  const jar = (req.cookies ?? {}) as Record<string, unknown>;
  return jar[WAS_SIGNED_IN_COOKIE] === '1' || SESSION_COOKIES.some((name) => typeof jar[name] === 'string' && jar[name] !== '');
}

export function clearSessionCookies(req: Request, res: Response): void {
  for (const name of SESSION_COOKIES) {
    if (req.cookies?.[name] !== undefined) res.clearCookie(name, { httpOnly: true, sameSite: 'lax', secure: name === SECURE_SESSION_COOKIE || req.secure, path: '/' });
  }
}
