/**
 * GET /incidents and /v1/incidents?window=1h|24h|7d (24h by default) and
 * optionally to=TIME (the window's end; now by default): error codes in the
 * window, incidents first (src/queries/incidents.ts says the order); GET /catalog and /v1/catalog: every catalogued code with how often
 * it was seen, and the codes the logs carry that the catalogue lacks.
 * Operators only (the default guard).
 */
import { Router } from 'express';
import { DiagError } from '../../errors/diag-error.js';
import { catalogReport } from '../../queries/catalog-report.js';
import { incidents, WINDOWS, type WindowName } from '../../queries/incidents.js';
import type { AppDeps } from '../app-deps.js';
import { methodNotAllowed } from '../middleware/error-handler.js';
import { requireOperator } from '../middleware/guards.js';
import { catalogJson, incidentsJson } from '../present/incidents-json.js';
import { catalogPage } from '../present/catalog-page.js';
import { incidentsPage } from '../present/incidents-page.js';
import { timeParam } from '../params.js';
import { NO_QUERY, queryShape, readQuery, text } from '../query.js';

const incidentsQuery = (now: number) =>
  queryShape({
    window: text((raw): WindowName => {
      if (raw === undefined || raw === '') return '24h';
      if (Object.hasOwn(WINDOWS, raw)) return raw as WindowName;
      throw new DiagError('DIAG_INVALID_QUERY', `window=${JSON.stringify(raw.slice(0, 40))} is not a window; it takes 1h, 24h or 7d`);
    }),
    /** The window's end (default now): a past outage, looked at afterwards. */
    to: text((raw) => timeParam('to', raw, now) ?? now),
  });

export function incidentRoutes(deps: AppDeps): Router {
  const r = Router();

  r.route('/v1/incidents')
    .get(requireOperator, async (req, res) => {
      const { window, to } = readQuery(incidentsQuery(deps.clock.now()), req.query);
      res.json(incidentsJson(await incidents(deps.store, window, to)));
    })
    .all(methodNotAllowed(['GET']));

  r.route('/incidents')
    .get(requireOperator, async (req, res) => {
      const now = deps.clock.now();
      const { window, to } = readQuery(incidentsQuery(now), req.query);
      res.render('incidents', { title: `Incidents · ${window}`, ...incidentsPage(await incidents(deps.store, window, to), now) });
    })
    .all(methodNotAllowed(['GET']));

  r.route('/v1/catalog')
    .get(requireOperator, async (req, res) => {
      readQuery(NO_QUERY, req.query);
      res.json(catalogJson(await catalogReport(deps.store, deps.clock.now())));
    })
    .all(methodNotAllowed(['GET']));

  r.route('/catalog')
    .get(requireOperator, async (req, res) => {
      readQuery(NO_QUERY, req.query);
      res.render('catalog', { title: 'Error catalogue', ...catalogPage(await catalogReport(deps.store, deps.clock.now())) });
    })
    .all(methodNotAllowed(['GET']));

  return r;
}
