/**
 * createApp(deps) builds the express app and returns it; it never listens
 * (cli.ts / serve does), so tests run it on port 0 with a real store.
 */
import cookieParser from 'cookie-parser';
import express from 'express';
import path from 'node:path';
import { projectRoot } from '../project-root.js';
import type { AppDeps } from './app-deps.js';
import { errorHandler, routeNotFound } from './middleware/error-handler.js';
import { requestLogger } from './middleware/request-logger.js';
import { authenticate } from './middleware/authenticate.js';
import { dropAfterEarlyAnswer, limitBodies } from './middleware/body-limit.js';
import { csrfProtection } from './middleware/csrf.js';
import { requireOperatorExcept } from './middleware/guards.js';
import { redactPages } from './middleware/redact-pages.js';
import { signedOutBanner } from './middleware/signed-out.js';
import { noStore, securityHeaders } from './middleware/security-headers.js';
import { JsonRedaction } from '../redact/redact-render.js';
import { authRoutes } from './routes/auth.js';
import { diagRoutes } from './routes/diag.js';
import { homeRoutes } from './routes/home.js';
import { DEFAULT_INGEST_MAX_BYTES, ingestRoutes } from './routes/ingest.js';
import { searchRoutes } from './routes/search.js';
import { ticketRoutes } from './routes/tickets.js';
import { wokRoutes } from './routes/woks.js';
import { aroundRoutes } from './routes/around.js';
import { auditLogRoutes } from './routes/audit-log.js';
import { replyRoutes } from './routes/reply.js';
import { wokLinesRoutes } from './routes/wok-lines.js';
import { metricsRoutes } from './routes/metrics.js';
import { createAppMetrics } from './metrics/app-metrics.js';
import { incidentRoutes } from './routes/incidents.js';
import { searchPageRoutes } from './routes/search-page.js';

export type { AppDeps };

/**
 * Paths that do not require an operator before their routes run: the sign-in
 * pages, /healthz, static files, and routes that apply their own guard
 * (customer diagnostics and tickets, ingest). Everything else — any route
 * added later included — is operator-only unless listed here.
 */
export const OPEN_PATHS: readonly (string | RegExp)[] = ['/login', '/logout', '/healthz', '/static/', '/diag', '/v1/diag', '/v1/ingest', /^\/v1\/tickets\/[^/]*$/];

export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.config.trustProxy);
  app.set('views', path.join(projectRoot(), 'views'));
  app.set('view engine', 'ejs');
  app.set('query parser', 'simple');
  // Redaction at render: every res.json body passes through the same rules as ingest, by the same redactor.
  const bodies = new JsonRedaction(deps.redactor);
  app.set('json replacer', bodies.replacer);

  const metrics = createAppMetrics(deps.diag, deps.config.processMetrics ?? true);
  const onError = errorHandler(deps.logger);
  app.use(requestLogger(deps.logger, deps.redactor), metrics.observe);
  app.use(securityHeaders());
  // Before anything that could read a body, on every path. Pushed log batches are larger than any form or JSON call: /v1/ingest has its own cap.
  const ingestCap = { '/v1/ingest': deps.config.ingestMaxBytes ?? DEFAULT_INGEST_MAX_BYTES };
  app.use(
    limitBodies(deps.config.bodyLimit, {
      perPath: ingestCap,
      ...(deps.config.bodyDrain ? { drain: deps.config.bodyDrain } : {}),
      answer: (err, req, res) => onError(err, req, res, () => undefined),
    }),
  );
  app.use('/static', express.static(path.join(projectRoot(), 'public'), { maxAge: '1h', index: false }));
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'pass' });
  });
  app.use(noStore, redactPages(bodies), cookieParser());
  // Sets req.principal on every request; then CSRF for signed-in browsers, then deny-by-default.
  app.use(authenticate(deps), signedOutBanner, csrfProtection(), requireOperatorExcept(OPEN_PATHS));
  app.use(authRoutes(deps));
  app.use(homeRoutes(deps));
  app.use(ticketRoutes(deps));
  app.use(searchRoutes(deps));
  app.use(diagRoutes(deps));
  app.use(wokRoutes(deps));
  app.use(wokLinesRoutes(deps));
  app.use(ingestRoutes(deps));
  app.use(aroundRoutes(deps));
  app.use(auditLogRoutes(deps));
  app.use(replyRoutes(deps));
  app.use(metricsRoutes(metrics));
  app.use(incidentRoutes(deps));
  app.use(searchPageRoutes(deps));
  app.use(routeNotFound);
  app.use(dropAfterEarlyAnswer, onError);
  return app;
}
