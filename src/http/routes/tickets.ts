/** GET /v1/tickets/:cid (JSON) and GET /tickets/:cid (the page): one query, two renderings. */
import { Router } from 'express';
import { DiagError } from '../../errors/diag-error.js';
import { buildTicket } from '../../queries/ticket.js';
import type { AppDeps } from '../app-deps.js';
import { methodNotAllowed } from '../middleware/error-handler.js';
import { cidParam, includeParam } from '../params.js';
import { ticketJson } from '../present/ticket-json.js';
import { ticketPage } from '../present/ticket-page.js';

export function ticketRoutes(deps: AppDeps): Router {
  const r = Router();

  async function load(raw: unknown) {
    const cid = cidParam(raw);
    const t = await buildTicket(deps.store, deps.catalog, cid, deps.config.ticket);
    if (!t) throw new DiagError('DIAG_TICKET_NOT_FOUND', `nothing has been logged with correlation id ${cid}`);
    return t;
  }

  r.route('/v1/tickets/:cid')
    .get(async (req, res) => {
      res.json(ticketJson(await load(req.params.cid), includeParam(req.query.include)));
    })
    .all(methodNotAllowed(['GET']));

  r.route('/tickets/:cid')
    .get(async (req, res) => {
      res.render('ticket', ticketPage(await load(req.params.cid), deps.clock.now()));
    })
    .all(methodNotAllowed(['GET']));

  return r;
}
