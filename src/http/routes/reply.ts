/**
 * GET /v1/tickets/:cid/reply: the Markdown reply to send the customer about
 * one request, and what was left out of it (customer-reply.ts). Operators only.
 */
import { Router } from 'express';
import { DiagError } from '../../errors/diag-error.js';
import { buildTicket } from '../../queries/ticket.js';
import type { AppDeps } from '../app-deps.js';
import { recordLookup } from '../lookup-audit.js';
import { methodNotAllowed } from '../middleware/error-handler.js';
import { requireOperator } from '../middleware/guards.js';
import { cidParam } from '../params.js';
import { customerReply } from '../present/customer-reply.js';
import { NO_QUERY, readQuery } from '../query.js';

export function replyRoutes(deps: AppDeps): Router {
  const r = Router();

  r.route('/v1/tickets/:cid/reply')
    .get(requireOperator, async (req, res) => {
      readQuery(NO_QUERY, req.query);
      const cid = cidParam(req.params.cid);
      await recordLookup(deps, req, 'reply', cid);
      const t = await buildTicket(deps.store, deps.catalog, cid, deps.config.ticket);
      if (!t) throw new DiagError('DIAG_TICKET_NOT_FOUND', `nothing has been logged with correlation id ${cid}`);
      res.json(customerReply(t));
    })
    .all(methodNotAllowed(['GET']));

  return r;
}
