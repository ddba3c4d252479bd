/**
 * The fake cp's API surface: the cp's real paths and methods, so unknown paths
 * and wrong methods fail the way the cp fails (CP_ROUTE_NOT_FOUND,
 * CP_METHOD_NOT_ALLOWED) and broken or oversized bodies the way its body
 * parser does. Everything else is scripted by the request's plan.
 */
import express from 'express';
import type { Logger } from 'pino';
import { buildError, cpError, envelope } from './cp-errors.js';
import type { AppLine, CpMode, CpPlan } from './cp-plan.js';

export interface CpContext {
  mode: CpMode;
  plan: CpPlan;
  logger: Logger;
  setClock(ms: number): void;
}

type Method = 'get' | 'post' | 'put' | 'delete';
/** [operation, success status] per method. */
type RouteDef = [path: string, methods: Partial<Record<Method, [op: string, status: number]>>];

const ROUTES: RouteDef[] = [
  ['/v1/healthz', { get: ['health', 200] }],
  ['/v1/login', { post: ['login', 200] }],
  ['/v1/signup', { post: ['signup', 201] }],
  ['/v1/woks', { get: ['woks', 200], post: ['create_wok', 201] }],
  ['/v1/woks/:id', { get: ['wok', 200], delete: ['destroy_wok', 202] }],
  ['/v1/woks/:id/sql', { post: ['exec_sql', 200] }],
  ['/v1/woks/:id/env', { get: ['env', 200], post: ['env', 200] }],
  ['/v1/woks/:id/env/:name', { put: ['env', 204], delete: ['env', 204] }],
  ['/v1/woks/:id/functions', { get: ['functions', 200] }],
  ['/v1/woks/:id/functions/:name/invoke', { post: ['invoke', 200] }],
  ['/v1/woks/:id/triggers', { get: ['triggers', 200], post: ['triggers', 201] }],
  ['/v1/woks/:id/triggers/:name', { delete: ['triggers', 204] }],
  ['/v1/woks/:id/restart', { post: ['restart', 202] }],
  ['/v1/woks/:id/dump', { get: ['dump', 200] }],
  ['/v1/woks/:id/domains', { post: ['domains', 201] }],
  ['/v1/llm/chat/completions', { post: ['llm', 200] }],
  ['/v1/llm-keys', { post: ['llm_keys', 201] }],
  ['/v1/orgs/:slug/members', { get: ['members', 200] }],
  ['/v1/orgs/:slug/invites', { post: ['invites', 201] }],
  ['/v1/orgs/:slug/usage', { get: ['usage', 200] }],
];

export function cpRoutes(ctxOf: (res: unknown) => CpContext): express.Router {
  const router = express.Router();
  router.use(express.json({ limit: '1mb' }));

  for (const [path, methods] of ROUTES) {
    const route = router.route(path);
    for (const [m, [op, ok]] of Object.entries(methods) as [Method, [string, number]][]) route[m](handler(op, ok));
    const allowed = Object.keys(methods).map((m) => m.toUpperCase()).join(', ');
    route.all((req, res) => {
      res.set('Allow', allowed);
      throw cpError('CP_METHOD_NOT_ALLOWED', `${req.method} is not allowed on ${req.path}; allowed: ${allowed}`, 'http');
    });
  }
  router.use((req) => {
    throw cpError('CP_ROUTE_NOT_FOUND', `no route for ${req.method} ${req.path}`, 'http');
  });
  router.use((err: unknown, req: express.Request, res: express.Response, _next: express.NextFunction) => {
    const e = asCpError(err, req.path);
    res.err = e;
    respond(ctxOf(res), res, (e as Error & { status: number }).status, envelope(e, ctxOf(res).plan.cid));
  });
  return router;

  function handler(op: string, ok: number) {
    return (req: express.Request, res: express.Response) => {
      const ctx = ctxOf(res);
      const { plan } = ctx;
      if (plan.wok) log(ctx, req, { at: 2, level: 'info', msg: 'wok resolved', fields: { status: 'active' } });
      for (const line of plan.lines ?? []) log(ctx, req, line, op);
      if (plan.fail) {
        const e = cpError(plan.fail.code, plan.fail.message, op, plan.fail.cause, plan.fail.status);
        const status = (e as Error & { status: number }).status;
        // The cp logs the cause of a server-side failure on its own line before answering.
        if (status >= 500) log(ctx, req, { at: plan.durationMs - 1, level: 'error', msg: `${op} failed`, err: plan.fail.cause ?? { type: 'CpError', message: plan.fail.message } }, op);
        throw e;
      }
      respond(ctx, res, plan.status ?? ok, plan.body ?? { ok: true });
    };
  }
}

/** An app line: through req.log (carrying reqId) or a child logger carrying correlation_id, by configuration. */
function log(ctx: CpContext, req: express.Request, line: AppLine, op = 'http'): void {
  const { plan } = ctx;
  ctx.setClock(plan.start + line.at);
  const where = { ...(plan.wok ? { wok_id: plan.wok } : {}), ...(plan.org ? { org: plan.org } : {}) };
  const obj = { ...line.fields, ...(line.err ? { err: buildError(line.err, op) } : {}) };
  if (ctx.mode === 'req-id') req.log[line.level]({ ...where, ...obj }, line.msg);
  else ctx.logger.child({ correlation_id: plan.cid, ...where })[line.level](obj, line.msg);
}

function respond(ctx: CpContext, res: express.Response, status: number, body: unknown): void {
  ctx.setClock(ctx.plan.start + ctx.plan.durationMs);
  res.set('X-Correlation-Id', ctx.plan.cid);
  for (const [k, v] of Object.entries(ctx.plan.headers ?? {})) res.set(k, v);
  if (status === 204) res.status(204).end();
  else res.status(status).json(body);
}

/** Whatever was thrown → the cp's error: body-parser failures get the cp's codes for them. */
function asCpError(err: unknown, path: string): Error {
  const e = err as Error & { code?: unknown; type?: unknown; length?: number };
  if (typeof e.code === 'string' && e.code.startsWith('CP_')) return e;
  if (e.type === 'entity.parse.failed') return cpError('CP_BAD_JSON', `request body is not valid JSON (${e.message})`, 'http');
  if (e.type === 'entity.too.large') {
    const code = path.endsWith('/sql') ? 'CP_SQL_TOO_LARGE' : path.startsWith('/v1/llm/') ? 'CP_LLM_BODY_TOO_LARGE' : 'CP_INVALID_BODY';
    return cpError(code, `request body of ${e.length ?? '?'} bytes exceeds the 1 MiB limit`, 'http', undefined, 413);
  }
  return cpError('CP_INTERNAL', 'internal error', 'http', { type: e.name ?? 'Error', message: e.message ?? String(err) });
}
