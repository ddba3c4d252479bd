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
import { list, queryShape, readQuery, text } from '../query.js';
import { filterTimeline, TIMELINE_KINDS, type TimelineKind } from '../../diag/timeline.js';
import { wokJson } from '../present/wok-json.js';
import { wokPage } from '../present/wok-page.js';
import { diagServicesOf, principalOf } from './diag-access.js';

const WOK_ID = /^[a-z][a-z0-9]{0,30}$/;
const DAY = 86_400_000;

/** Timeline rows: the JSON's as before; the page reads more, since it folds repeats. */
const JSON_TIMELINE = { operator: 200, customer: 100 };
const PAGE_TIMELINE = 1000;

function kindsParam(values: string[]): TimelineKind[] {
  const bad = values.find((v) => !(TIMELINE_KINDS as readonly string[]).includes(v));
  if (bad !== undefined) throw new DiagError('DIAG_INVALID_QUERY', `kind takes ${TIMELINE_KINDS.join(', ')}, not ${JSON.stringify(bad.slice(0, 40))}`);
  return [...new Set(values)] as TimelineKind[];
}

/**
 * The wok view's parameters: the window (from, default a day ago; to, default now), for operators how many log
 * lines per container, and the timeline's filters: kinds (repeated or comma-separated) and repeats=all (no folding).
 */
const wokQuery = (now: number) =>
  queryShape({
    from: text((raw) => ({ raw: raw ?? '', at: timeParam('from', raw, now) ?? now - DAY })),
    to: text((raw) => ({ raw: raw ?? '', at: timeParam('to', raw, now) ?? now })),
    tail: text((raw) => intParam('tail', raw, 0, 500) ?? 50),
    kind: list(kindsParam),
    repeats: text((raw) => {
      if (raw !== undefined && raw !== '' && raw !== 'all' && raw !== 'fold') throw new DiagError('DIAG_INVALID_QUERY', 'repeats is all (every row) or fold (the default)');
      return raw === 'all' ? ('all' as const) : ('fold' as const);
    }),
  });

type WokQuery = ReturnType<typeof readQuery<ReturnType<typeof wokQuery>['shape']>>;

export function wokRoutes(deps: AppDeps): Router {
  const r = Router();
  const diag = diagServicesOf(deps);

  async function load(req: Request, page: boolean): Promise<{ report: WokReport; q: WokQuery }> {
    const id = String(req.params.id);
    const p = principalOf(req);
    const now = deps.clock.now();
    const q = readQuery(wokQuery(now), req.query);
    const report = await loadReport(id, p, now, q, page);
    // Kinds are chosen after the report is built (it merges every kind); each answer keeps its own length.
    report.timeline = filterTimeline(report.timeline, q.kind, page ? PAGE_TIMELINE : report.audience === 'operator' ? JSON_TIMELINE.operator : JSON_TIMELINE.customer);
    return { report, q };
  }

  async function loadReport(id: string, p: ReturnType<typeof principalOf>, now: number, q: WokQuery, page: boolean): Promise<WokReport> {
    const from = q.from.at;
    const to = q.to.at;
    const tail = q.tail;
    if (from >= now || now - from > 30 * DAY) throw new DiagError('DIAG_INVALID_QUERY', 'from must be in the last 30 days');
    if (to <= from || to > now) throw new DiagError('DIAG_INVALID_QUERY', 'to must be after from and not in the future');
    const timelineLimit = page || q.kind.length ? PAGE_TIMELINE : p.kind === 'operator' ? JSON_TIMELINE.operator : JSON_TIMELINE.customer;
    if (p.kind === 'operator') {
      if (!WOK_ID.test(id)) throw new DiagError('DIAG_NOT_FOUND', `${JSON.stringify(id.slice(0, 40))} is not a wok id (^[a-z][a-z0-9]{0,30}$)`);
      const wok = await wokFor(deps.inventory, p, id);
      if (!wok && !(await wokInLogs(deps.store, id, now))) throw new DiagError('DIAG_NOT_FOUND', `no wok ${id} in the inventory or the logs`);
      return wokReport(diag.deps, deps.catalog, id, wok, { audience: 'operator', org: null, from, to, tailLines: tail, timelineLimit });
    }
    const wok = await wokFor(deps.inventory, p, id);
    if (!wok || p.kind !== 'customer') throw DiagError.platform('CP_PROJECT_NOT_FOUND', 'no active project with that wok_id in this org');
    return wokReport(diag.deps, deps.catalog, id, wok, { audience: 'customer', org: p.org, from, to, tailLines: 0, timelineLimit });
  }

  r.route('/v1/diag/wok/:id')
    .get(requireCustomerOrOperator, async (req, res) => {
      res.setHeader('Cache-Control', 'no-store');
      res.json(wokJson((await load(req, false)).report));
    })
    .all(methodNotAllowed(['GET']));

  r.route('/diag/wok/:id')
    .get(requireCustomerOrOperator, async (req, res) => {
      res.setHeader('Cache-Control', 'no-store');
      const { report, q } = await load(req, true);
      res.render('wok', wokPage(report, deps.clock.now(), { kinds: q.kind, fold: q.repeats === 'fold', from: q.from.raw, to: q.to.raw }));
    })
    .all(methodNotAllowed(['GET']));

  return r;
}
