/**
 * Sets `req.principal` on every request, from (in this order) the
 * Authorization header or the session cookie:
 * - `Bearer sdo_…`: a console token, scope operator or ingest;
 * - `Bearer skl_…`: a customer's platform key, checked against the inventory;
 * - the session cookie of a signed-in operator.
 * A credential that was sent but failed leaves the principal anonymous and
 * says why in `req.credentialProblem`; the guards decide what that means for
 * the route. Nothing here answers a request itself.
 */
import type { NextFunction, Request, Response } from 'express';
import { TOKEN_SHAPE, tokenFor } from '../../access/api-tokens.js';
import { PLATFORM_KEY_SHAPE, checkPlatformKey } from '../../access/customer-keys.js';
import { ANONYMOUS, type CredentialProblem, type Principal } from '../../access/principal.js';
import { sessionFor } from '../../access/sessions.js';
import type { AppDeps } from '../app-deps.js';
import { SESSION_COOKIES } from './session-cookie.js';

type Bearer = { kind: 'none' } | { kind: 'problem'; problem: CredentialProblem } | { kind: 'value'; value: string };

/** Reads the Authorization header: absent, malformed, the wrong shape, or one credential. */
export function readBearer(header: string | undefined): Bearer {
  if (header === undefined) return { kind: 'none' };
  const m = /^(\S+)(\s*)([\s\S]*)$/.exec(header);
  if (!m || m[1]!.toLowerCase() !== 'bearer' || m[3] === '') return { kind: 'problem', problem: { kind: 'malformed' } };
  const value = m[3]!;
  if (m[2] !== ' ' || /\s/.test(value)) return { kind: 'problem', problem: { kind: 'shape' } };
  if (TOKEN_SHAPE.test(value) || PLATFORM_KEY_SHAPE.test(value)) return { kind: 'value', value };
  return { kind: 'problem', problem: { kind: 'shape' } };
}

async function fromBearer(deps: AppDeps, value: string, now: number): Promise<Principal | CredentialProblem> {
  if (value.startsWith('sdo_')) {
    const token = await tokenFor(deps.store, value, now);
    if (!token) return { kind: 'console-token' };
    if (token.scope === 'ingest') return { kind: 'ingest', token };
    const operator = { id: 0, email: `token:${token.name}`, passwordHash: '', createdAt: token.createdAt, disabledAt: null };
    return { kind: 'operator', operator, via: 'token', csrfToken: null, sessionIdHash: null };
  }
  const check = await checkPlatformKey(deps.inventory, value);
  if (!check.ok) return check.kind === 'sllm' ? { kind: 'llm-key', prefix: check.prefix, valid: false } : { kind: 'platform-key', prefix: check.prefix };
  if (check.key.kind === 'sllm') return { kind: 'llm-key', prefix: check.key.prefix, valid: true };
  return { kind: 'customer', org: check.key.org, user: check.key.user, keyPrefix: check.key.prefix };
}

function isPrincipal(v: Principal | CredentialProblem): v is Principal {
  return v.kind === 'operator' || v.kind === 'ingest' || v.kind === 'customer' || v.kind === 'anonymous';
}

function sessionCookie(req: Request): string | null {
  const jar = (req.cookies ?? {}) as Record<string, unknown>;
  for (const name of SESSION_COOKIES) {
    const v = jar[name];
    if (typeof v === 'string' && v) return v;
  }
  return null;
}

export function authenticate(deps: AppDeps) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    req.principal = ANONYMOUS;
    req.credentialProblem = null;
    const now = deps.clock.now();
    const header = req.headers.authorization;
    const bearer = readBearer(header);
    if (bearer.kind === 'problem') {
      req.credentialProblem = bearer.problem;
    } else if (bearer.kind === 'value') {
      const got = await fromBearer(deps, bearer.value, now);
      if (isPrincipal(got)) req.principal = got;
      else req.credentialProblem = got;
    } else {
      const id = sessionCookie(req);
      const live = id ? await sessionFor(deps.store, id, now) : null;
      if (live) {
        req.principal = { kind: 'operator', operator: live.operator, via: 'session', csrfToken: live.session.csrfToken, sessionIdHash: live.session.idHash };
        req.csrfToken = live.session.csrfToken;
        res.locals.operatorEmail = live.operator.email;
        res.locals.csrfToken = live.session.csrfToken;
      }
    }
    if (req.principal.kind === 'customer') req.log?.setBindings?.({ caller_org: req.principal.org, caller_key: `${req.principal.keyPrefix}…` });
    else if (req.principal.kind === 'operator') req.log?.setBindings?.({ operator: req.principal.operator.email });
    next();
  };
}
