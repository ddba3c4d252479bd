/**
 * Who is asking. Set on every request by the authenticate middleware
 * (src/http/middleware/authenticate.ts); routes read it, never the headers.
 * Guards (src/http/middleware/guards.ts) turn a missing or failed credential
 * into the right error for the route.
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

export function isCustomer(p: Principal): p is Extract<Principal, { kind: 'customer' }> {
  return p.kind === 'customer';
}

/**
 * Why a credential that was sent did not authenticate (the principal is then
 * anonymous). Guards map it to the platform's codes on customer routes and to
 * DIAG_UNAUTHENTICATED on operator routes.
 */
export type CredentialProblem =
  /** An Authorization header that is not `Bearer <credential>`. */
  | { kind: 'malformed' }
  /** `Bearer …` whose value is not the shape of any key we know (whitespace, truncation, stray characters). */
  | { kind: 'shape' }
  /** A well-formed `skl_` key that is revoked or unknown. */
  | { kind: 'platform-key'; prefix: string }
  /** A well-formed `sllm_` key: revoked or unknown (`valid` false), or valid but meant for the LLM gateway only. */
  | { kind: 'llm-key'; prefix: string; valid: boolean }
  /** A well-formed console token (`sdo_`) that is revoked or unknown. */
  | { kind: 'console-token' };

declare module 'express-serve-static-core' {
  interface Request {
    principal: Principal;
    /** Set when a credential was sent and failed; null otherwise. */
    credentialProblem: CredentialProblem | null;
    /** The signed-in operator's form token (hidden field `_csrf`), when signed in by session. */
    csrfToken?: string;
  }
}
