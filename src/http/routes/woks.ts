/**
 * GET /v1/diag/wok/:id and GET /diag/wok/:id: one wok's diagnostics.
 * Operators see every wok (in the inventory, or known only to the logs) and
 * everything about it; a customer sees their own org's woks only (any other
 * is the same 404 CP_PROJECT_NOT_FOUND, a destroyed one 409 CP_NOT_ACTIVE,
 * per wokFor) and a version without container names, log text or tails.
 */
import { Router, type Request } from 'express';
import { wokFor } from '../../access/wok-access.js';
import { DiagError } from '../../errors/diag-error.js';
import { wokInLogs, wokReport, type WokReport } from '../../diag/wok-report.js';
import type { AppDeps } from '../app-deps.js';
import { methodNotAllowed } from '../middleware/error-handler.js';
import { requireCustomerOrOperator } from '../middleware/guards.js';
import { intParam, timeParam } from '../params.js';
import { queryShape, readQuery, text } from '../query.js';
import { wokJson } from '../present/wok-json.js';
import { wokPage } from '../present/wok-page.js';
import { diagServicesOf, principalOf } from './diag-access.js';

const WOK_ID = /^[a-z][a-z0-9]{0,30}$/;
const DAY = 86_400_000;

/** The wok view's parameters: the window's start (default a day ago) and, for operators, how many log lines per container. */
const wokQuery = (now: number) =>
  queryShape({
    from: text((raw) => timeParam('from', raw, now) ?? now - DAY),
    tail: text((raw) => intParam('tail', raw, 0, 500) ?? 50),
  });

export function wokRoutes(deps: AppDeps): Router {
  const r = Router();
  const diag = diagServicesOf(deps);

  async function load(req: Request): Promise<WokReport> {
    const id = String(req.params.id);
    const p = principalOf(req);
    const now = deps.clock.now();
    const { from, tail } = readQuery(wokQuery(now), req.query);
    if (from >= now || now - from > 30 * DAY) throw new DiagError('DIAG_INVALID_QUERY', 'from must be in the last 30 days');
    if (p.kind === 'operator') {
      if (!WOK_ID.test(id)) throw new DiagError('DIAG_NOT_FOUND', `${JSON.stringify(id.slice(0, 40))} is not a wok id (^[a-z][a-z0-9]{0,30}$)`);
      const wok = await wokFor(deps.inventory, p, id);
      if (!wok && !(await wokInLogs(deps.store, id, now))) throw new DiagError('DIAG_NOT_FOUND', `no wok ${id} in the inventory or the logs`);
      return wokReport(diag.deps, deps.catalog, id, wok, { audience: 'operator', org: null, from, to: now, tailLines: tail, timelineLimit: 200 });
    }
    const wok = await wokFor(deps.inventory, p, id);
    if (!wok || p.kind !== 'customer') throw DiagError.platform('CP_PROJECT_NOT_FOUND', 'no active project with that wok_id in this org');
    return wokReport(diag.deps, deps.catalog, id, wok, { audience: 'customer', org: p.org, from, to: now, tailLines: 0, timelineLimit: 100 });
  }

  r.route('/v1/diag/wok/:id')
    .get(requireCustomerOrOperator, async (req, res) => {
      res.setHeader('Cache-Control', 'no-store');
      res.json(wokJson(await load(req)));
    })
    .all(methodNotAllowed(['GET']));

  r.route('/diag/wok/:id')
    .get(requireCustomerOrOperator, async (req, res) => {
      res.setHeader('Cache-Control', 'no-store');
      res.render('wok', wokPage(await load(req), deps.clock.now()));
    })
    .all(methodNotAllowed(['GET']));

  return r;
}
