/**
 * Browser sessions: a random id in an HttpOnly cookie; the store keeps only
 * its sha256, the operator, a per-session form token (CSRF) and an absolute
 * expiry. Every sign-in makes a new id, so an id planted before sign-in is
 * worth nothing.
 */
import type { Operator, Session } from '../model/access.js';
import type { AccessStore } from '../store/store.js';
import { randomSecret, sha256Hex } from './digest.js';

export const SESSION_TTL_MS = 12 * 3_600_000;
const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

export interface StartedSession {
  /** The cookie value: shown to the browser only. */
  id: string;
  session: Session;
}

export async function startSession(store: AccessStore, operator: Operator, now: number, ttlMs = SESSION_TTL_MS): Promise<StartedSession> {
  const id = randomSecret(32);
  const session: Session = { idHash: sha256Hex(id), operatorId: operator.id, csrfToken: randomSecret(32), createdAt: now, expiresAt: now + ttlMs };
  await store.createSession(session);
  return { id, session };
}

/** The live session and operator a cookie value names, or null (unknown, expired, operator disabled). */
export async function sessionFor(store: AccessStore, id: string, now: number): Promise<{ session: Session; operator: Operator } | null> {
  if (!SESSION_ID.test(id)) return null;
  return store.session(sha256Hex(id), now);
}

export async function endSession(store: AccessStore, idHash: string): Promise<void> {
  await store.deleteSession(idHash);
}
