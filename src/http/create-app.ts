/**
 * createApp(deps) builds the express app and returns it; it never listens
 * (cli.ts / serve does), so tests run it on port 0 with a real store.
 */
import express from 'express';
import path from 'node:path';
import { projectRoot } from '../project-root.js';
import type { AppDeps } from './app-deps.js';
import { errorHandler, routeNotFound } from './middleware/error-handler.js';
import { requestLogger } from './middleware/request-logger.js';
import { homeRoutes } from './routes/home.js';
import { searchRoutes } from './routes/search.js';
import { ticketRoutes } from './routes/tickets.js';

export type { AppDeps };

export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.config.trustProxy);
  app.set('views', path.join(projectRoot(), 'views'));
  app.set('view engine', 'ejs');
  app.set('query parser', 'simple');

  app.use(requestLogger(deps.logger));
  app.use('/static', express.static(path.join(projectRoot(), 'public'), { maxAge: '1h', index: false }));
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'pass' });
  });
  app.use(homeRoutes(deps));
  app.use(ticketRoutes(deps));
  app.use(searchRoutes(deps));
  app.use(routeNotFound);
  app.use(errorHandler(deps.logger));
  return app;
}
