/**
 * Who is asking. Set on every request by the authenticate middleware
 * (src/http/middleware/authenticate.ts); routes read it, never the headers.
 */
import type { ApiToken, Operator } from '../model/access.js';

export type Principal =
  | { kind: 'anonymous' }
  | { kind: 'operator'; operator: Operator; via: 'session' | 'token'; csrfToken: string | null; sessionIdHash: string | null }
  | { kind: 'ingest'; token: ApiToken }
  /** A customer, by their platform key (`Authorization: Bearer skl_…`), scoped to their org. */
  | { kind: 'customer'; org: string; user: string; keyPrefix: string };

export const ANONYMOUS: Principal = { kind: 'anonymous' };

export function isOperator(p: Principal): p is Extract<Principal, { kind: 'operator' }> {
  return p.kind === 'operator';
}

declare module 'express-serve-static-core' {
  interface Request {
    principal: Principal;
  }
}
