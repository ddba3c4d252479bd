/** GET /metrics: Prometheus text format. Operator-only like every path not opened in create-app.ts (scrape with a `Bearer sdo_…` token). */
import { Router } from 'express';
import type { AppMetrics } from '../metrics/app-metrics.js';
import { methodNotAllowed } from '../middleware/error-handler.js';

export function metricsRoutes(metrics: AppMetrics): Router {
  const r = Router();
  r.route('/metrics')
    .get(async (_req, res) => {
      res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
    })
    .all(methodNotAllowed(['GET']));
  return r;
}
