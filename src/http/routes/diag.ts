/**
 * GET /v1/diag (application/health+json, 200 for pass and warn, 503 for
 * fail), GET /v1/diag/:check (one subsystem), and GET /diag (the on-call
 * page). Open to everyone; what is shown depends on who asks.
 */
import { Router, type Request, type Response } from 'express';
import { DiagError } from '../../errors/diag-error.js';
import { HEALTH_JSON, healthHttpStatus, healthJson, type HealthDoc, type RenderOptions } from '../../diag/health-json.js';
import type { AppDeps } from '../app-deps.js';
import { methodNotAllowed } from '../middleware/error-handler.js';
import { timeParam } from '../params.js';
import { queryShape, readQuery, text } from '../query.js';
import { diagPage } from '../present/diag-page.js';
import { affectedByCheck } from '../../diag/affected-orgs.js';
import { diagServicesOf, healthView, principalOf, verboseParam } from './diag-access.js';

const STRIP_MS = 6 * 3_600_000;

const VERBOSE_QUERY = queryShape({ verbose: text((raw) => raw !== undefined && verboseParam(raw)) });
const pageQuery = (now: number) => queryShape({ since: text((raw) => timeParam('since', raw, now) ?? null) });
const REFRESH_SECONDS = 15;

function sendHealth(res: Response, doc: HealthDoc): void {
  res.status(healthHttpStatus(doc.status));
  res.setHeader('Cache-Control', 'no-cache');
  res.type(HEALTH_JSON).send(JSON.stringify(doc, res.app.get('json replacer') as ((k: string, v: unknown) => unknown) | undefined));
}

/** This console's origin as the caller addressed it (links in health+json are absolute URIs). */
function origin(req: Request): string {
  try {
    return new URL(`${req.protocol}://${req.get('host') ?? 'localhost'}`).origin;
  } catch {
    return 'http://localhost';
  }
}

function render(req: Request, o: Omit<RenderOptions, 'origin' | 'self'>): RenderOptions {
  return { ...o, origin: origin(req), self: req.originalUrl };
}

export function diagRoutes(deps: AppDeps): Router {
  const r = Router();
  const diag = diagServicesOf(deps);
  const cfg = diag.deps.config;

  function notes(): string[] {
    return [`each check times out after ${cfg.timeoutMs} ms; results are reused for ${cfg.cacheMs} ms`, `log rates are over the last ${Math.round(cfg.windowMs / 60_000)} min`];
  }

  r.route('/v1/diag')
    .get(async (req, res) => {
      const q = readQuery(VERBOSE_QUERY, req.query);
      const view = healthView(principalOf(req));
      const outcomes = await diag.runner.run();
      sendHealth(res, healthJson(outcomes, render(req, { view, verbose: view === 'full' && q.verbose, notes: notes() })));
    })
    .all(methodNotAllowed(['GET']));

  r.route('/v1/diag/:check')
    .get(async (req, res) => {
      const q = readQuery(VERBOSE_QUERY, req.query);
      const name = String(req.params.check);
      if (!diag.runner.has(name)) {
        throw new DiagError('DIAG_NOT_FOUND', `no check named ${JSON.stringify(name.slice(0, 40))}; the checks are ${diag.runner.names().join(', ')}`);
      }
      const view = healthView(principalOf(req));
      const outcomes = await diag.runner.run([name]);
      sendHealth(res, healthJson(outcomes, render(req, { view, verbose: view === 'full' && q.verbose, notes: notes() })));
    })
    .all(methodNotAllowed(['GET']));

  r.route('/diag')
    .get(async (req, res) => {
      const since = readQuery(pageQuery(deps.clock.now()), req.query).since;
      const view = healthView(principalOf(req));
      const outcomes = await diag.runner.run();
      // Read after the checks, so "checked … ago" is never in the future.
      const now = Math.max(deps.clock.now(), ...outcomes.map((o) => o.time));
      const from = Math.min(now - STRIP_MS, since ?? now) - 3_600_000;
      const history = await deps.store.checkHistory({ from, to: now });
      const descriptions = Object.fromEntries(diag.runner.checks.map((c) => [c.name, c.description]));
      const maxGapMs = Math.max(3 * cfg.intervalMs, 90_000);
      const affected = view === 'full' ? await affectedByCheck(deps.store, outcomes, history, { now, windowMs: cfg.windowMs, maxGapMs }) : {};
      res.setHeader('Cache-Control', 'no-store');
      res.render('diag', diagPage({ outcomes, descriptions, history, view, now, since, stripFromMs: now - STRIP_MS, maxGapMs, refreshSeconds: REFRESH_SECONDS, affected }));
    })
    .all(methodNotAllowed(['GET']));

  return r;
}
