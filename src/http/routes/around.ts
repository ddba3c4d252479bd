/**
 * GET /v1/events/:id/around?n=50 (JSON) and GET /events/:id/around (the page):
 * the n lines before and after one event in its own stream (the cp process
 * file or the container), lines without a correlation id included, each line
 * with a correlation id linking to its ticket. Operators only: it is log text.
 */
import { Router } from 'express';
import { DiagError } from '../../errors/diag-error.js';
import { AROUND_MAX, type Around } from '../../model/around.js';
import type { AppDeps } from '../app-deps.js';
import { recordLookup } from '../lookup-audit.js';
import { methodNotAllowed } from '../middleware/error-handler.js';
import { requireOperator } from '../middleware/guards.js';
import { intParam } from '../params.js';
import { eventJson, iso } from '../present/event-view.js';
import { eventRow, who } from '../present/ticket-page.js';
import { queryShape, readQuery, text } from '../query.js';

export const AROUND_DEFAULT = 50;
const EVENT_ID = /^[A-Za-z0-9_.:-]{1,200}$/;

const AROUND_QUERY = queryShape({ n: text((raw) => intParam('n', raw, 0, AROUND_MAX) ?? AROUND_DEFAULT) });

export function aroundRoutes(deps: AppDeps): Router {
  const r = Router();

  async function load(raw: unknown, n: number): Promise<Around> {
    const id = String(raw);
    const got = EVENT_ID.test(id) ? await deps.store.aroundEvent(id, n) : null;
    if (!got) throw new DiagError('DIAG_NOT_FOUND', `no stored line has the id ${JSON.stringify(id.slice(0, 80))}`);
    return got;
  }

  r.route('/v1/events/:id/around')
    .get(requireOperator, async (req, res) => {
      const { n } = readQuery(AROUND_QUERY, req.query);
      const a = await load(req.params.id, n);
      await recordLookup(deps, req, 'around', a.event.id);
      const json = (e: Around['event']) => eventJson(e, { stack: false, raw: false });
      res.json({ event: json(a.event), n, before: a.before.map(json), after: a.after.map(json) });
    })
    .all(methodNotAllowed(['GET']));

  r.route('/events/:id/around')
    .get(requireOperator, async (req, res) => {
      const { n } = readQuery(AROUND_QUERY, req.query);
      const a = await load(req.params.id, n);
      await recordLookup(deps, req, 'around', a.event.id);
      const e = a.event;
      const lines = [...a.before, e, ...a.after];
      res.setHeader('Cache-Control', 'no-store');
      res.render('around', {
        title: `Around a line · ${who(e)}`,
        label: who(e),
        at: iso(e.time).replace('T', ' ').replace('Z', ' UTC'),
        n,
        eventId: e.id,
        rows: lines.map((l) => ({ ...eventRow(l, e.time), cid: l.cid })),
        more: n < AROUND_MAX ? `/events/${encodeURIComponent(e.id)}/around?n=${Math.min(AROUND_MAX, Math.max(n * 2, 10))}` : null,
        startOfStream: a.before.length < n,
        endOfStream: a.after.length < n,
      });
    })
    .all(methodNotAllowed(['GET']));

  return r;
}
