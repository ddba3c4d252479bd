/**
 * Prometheus metrics of the console itself, in a registry of the app's own
 * (no process-wide globals, so several apps in one process — tests — do not
 * collide): HTTP requests by route and status, their latency, the /diag
 * checks' last statuses, and the process's default metrics.
 */
import type { NextFunction, Request, Response } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { DiagServices } from '../../diag/diag-services.js';
import { STATUS_RANK } from '../../model/health.js';

export interface AppMetrics {
  registry: Registry;
  /** Middleware counting every request when it finishes. */
  observe(req: Request, res: Response, next: NextFunction): void;
}

/** The route pattern that answered (`/v1/tickets/:cid`), never the raw path: ids must not become label values. */
function routeOf(req: Request): string {
  const r = (req as Request & { route?: { path?: unknown } }).route;
  return typeof r?.path === 'string' ? r.path : req.path.startsWith('/static/') ? '/static' : 'unmatched';
}

export function createAppMetrics(diag: DiagServices | undefined, defaults = true): AppMetrics {
  const registry = new Registry();
  if (defaults) collectDefaultMetrics({ register: registry, prefix: 'tellwang_diag_' });
  const requests = new Counter({ name: 'tellwang_diag_http_requests_total', help: 'HTTP requests answered, by method, route and status', labelNames: ['method', 'route', 'status'], registers: [registry] });
  const latency = new Histogram({
    name: 'tellwang_diag_http_request_duration_seconds',
    help: 'Time to answer HTTP requests, by route',
    labelNames: ['route'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  new Gauge({
    name: 'tellwang_diag_check_status',
    help: 'Last /diag result per check: 0 pass, 1 warn, 2 fail (absent until the check has run)',
    labelNames: ['check'],
    registers: [registry],
    collect() {
      this.reset();
      for (const o of diag?.runner.cached() ?? []) this.set({ check: o.check }, STATUS_RANK[o.status]);
    },
  });
  return {
    registry,
    observe(req, res, next) {
      const start = process.hrtime.bigint();
      res.once('finish', () => {
        const route = routeOf(req);
        requests.inc({ method: req.method, route, status: String(res.statusCode) });
        latency.observe({ route }, Number(process.hrtime.bigint() - start) / 1e9);
      });
      next();
    },
  };
}
