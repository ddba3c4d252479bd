/** GET /v1/tickets/:cid (JSON) and GET /tickets/:cid (the page): one query, two renderings. */
import { Router } from 'express';
import { DiagError } from '../../errors/diag-error.js';
import { buildTicket } from '../../queries/ticket.js';
import type { AppDeps } from '../app-deps.js';
import { methodNotAllowed } from '../middleware/error-handler.js';
import { cidParam, includeParam } from '../params.js';
import { NO_QUERY, queryShape, readQuery, text } from '../query.js';
import { ticketJson } from '../present/ticket-json.js';
import { ticketPage } from '../present/ticket-page.js';
import { customerTicketJson, ticketBelongsTo } from '../present/customer-ticket.js';
import { requireCustomerOrOperator, requireOperator } from '../middleware/guards.js';
import { customerReply } from '../present/customer-reply.js';
import { recordLookup } from '../lookup-audit.js';
import { answerNoSooner } from './answer-floor.js';

/** A customer asking for another org's request gets exactly this, as for an id nothing was logged with. */
export const CUSTOMER_TICKET_NOT_FOUND = 'nothing your org sent has been logged with that correlation id';

/**
 * A customer's ticket lookup answers no sooner than this after it starts,
 * found or not: an id nothing was logged with is turned away by the index in
 * well under a millisecond, another org's request only after its ticket is
 * built — without a floor, the time would tell the two apart.
 */
export const CUSTOMER_TICKET_FLOOR_MS = 25;

const TICKET_QUERY = queryShape({ include: text(includeParam) });

/**
 * The lookup's audit row goes in while its ticket is built (on PostgreSQL, on
 * another pool connection: the insert's round trip no longer comes first);
 * nothing is answered, found or not, before the row is in. recordLookup
 * never rejects: a row that failed is logged there.
 */
async function afterRecord<T>(work: Promise<T>, recorded: Promise<void>): Promise<T> {
  try {
    return await work;
  } finally {
    await recorded;
  }
}

export function ticketRoutes(deps: AppDeps): Router {
  const r = Router();
  const floorMs = deps.config.customerTicketFloorMs ?? CUSTOMER_TICKET_FLOOR_MS;

  async function load(raw: unknown) {
    const cid = cidParam(raw);
    const t = await buildTicket(deps.store, deps.catalog, cid, deps.config.ticket);
    if (!t) throw new DiagError('DIAG_TICKET_NOT_FOUND', `nothing has been logged with correlation id ${cid}`);
    return t;
  }

  /** A customer's own request only, customer-safe; another org's is the same 404 as a missing one. */
  async function loadForCustomer(raw: unknown, org: string) {
    const cid = cidParam(raw);
    const t = await buildTicket(deps.store, deps.catalog, cid, deps.config.ticket);
    if (!t || !(await ticketBelongsTo(t, org, deps.inventory))) throw new DiagError('DIAG_TICKET_NOT_FOUND', CUSTOMER_TICKET_NOT_FOUND);
    return customerTicketJson(t, org, deps.inventory);
  }

  r.route('/v1/tickets/:cid')
    .get(requireCustomerOrOperator, async (req, res) => {
      const q = readQuery(TICKET_QUERY, req.query);
      const p = req.principal;
      const recorded = recordLookup(deps, req, 'ticket', cidParam(req.params.cid));
      if (p.kind === 'customer') {
        // The floor holds the very end of the answer (after the body or the error envelope is rendered), found or not.
        answerNoSooner(res, performance.now(), floorMs);
        return void res.json(await afterRecord(loadForCustomer(req.params.cid, p.org), recorded));
      }
      res.json(ticketJson(await afterRecord(load(req.params.cid), recorded), q.include));
    })
    .all(methodNotAllowed(['GET']));

  r.route('/tickets/:cid')
    .get(requireOperator, async (req, res) => {
      readQuery(NO_QUERY, req.query);
      const recorded = recordLookup(deps, req, 'ticket', cidParam(req.params.cid));
      const t = await afterRecord(load(req.params.cid), recorded);
      res.render('ticket', { ...ticketPage(t, deps.clock.now()), reply: customerReply(t) });
    })
    .all(methodNotAllowed(['GET']));

  return r;
}
