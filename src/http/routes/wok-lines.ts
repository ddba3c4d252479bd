/**
 * GET /diag/wok/:id/lines?at=TIME[&container=ID]: the wok's container lines
 * (one container's, or all of them) in a window around a moment — what the
 * timeline links to from a lifecycle change or a failed request, as the
 * ticket's context does around a request, but every line, not only the
 * notable ones. Operators only: it is log text.
 */
import { Router } from 'express';
import { DiagError } from '../../errors/diag-error.js';
import type { Event } from '../../model/event.js';
import type { AppDeps } from '../app-deps.js';
import { methodNotAllowed } from '../middleware/error-handler.js';
import { requireOperator } from '../middleware/guards.js';
import { stringParam, timeParam } from '../params.js';
import { iso } from '../present/event-view.js';
import { eventRow, who } from '../present/ticket-page.js';
import { linesHref } from '../present/wok-timeline.js';
import { queryShape, readQuery, text } from '../query.js';

const WOK_ID = /^[a-z][a-z0-9]{0,30}$/;
const CONTAINER = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;
/** The window: as the ticket's context, a little longer after the moment (a restart takes a few seconds). */
const BEFORE_MS = 2 * 60_000;
const AFTER_MS = 60_000;
const MOST = 500;

const linesQuery = (now: number) =>
  queryShape({
    at: text((raw) => {
      const at = timeParam('at', raw, now);
      if (at === undefined) throw new DiagError('DIAG_INVALID_QUERY', 'at is required: the moment to show the lines around');
      return at;
    }),
    container: text((raw) => stringParam('container', raw, CONTAINER) ?? null),
  });

const ofContainer = (e: Event, c: string) => e.source === 'container' && (e.container.id === c || e.container.id.startsWith(c) || e.container.name === c);

export function wokLinesRoutes(deps: AppDeps): Router {
  const r = Router();

  r.route('/diag/wok/:id/lines')
    .get(requireOperator, async (req, res) => {
      const id = String(req.params.id);
      if (!WOK_ID.test(id)) throw new DiagError('DIAG_NOT_FOUND', `${JSON.stringify(id.slice(0, 40))} is not a wok id (^[a-z][a-z0-9]{0,30}$)`);
      const { at, container } = readQuery(linesQuery(deps.clock.now()), req.query);
      const from = at - BEFORE_MS;
      const to = at + AFTER_MS;
      const all = await deps.store.containerEvents({ wok: id, from, to, limit: container ? MOST * 4 : MOST });
      const events = (container ? all.filter((e) => ofContainer(e, container)) : all).sort((a, b) => a.time - b.time).slice(-MOST);
      // The line nearest the moment is marked, so the eye lands on it.
      let nearest = -1;
      events.forEach((e, i) => {
        if (nearest < 0 || Math.abs(e.time - at) < Math.abs(events[nearest]!.time - at)) nearest = i;
      });
      const first = events.find((e) => e.source === 'container');
      const label = container ? (first ? who(first) : container) : `every container of wok ${id}`;
      res.setHeader('Cache-Control', 'no-store');
      res.render('wok-lines', {
        title: `Lines · wok ${id}`,
        wok: id,
        label,
        at: iso(at).replace('T', ' ').replace('Z', ' UTC'),
        window: `${iso(from).slice(11, 19)}–${iso(to).slice(11, 19)} UTC`,
        rows: events.map((e) => eventRow(e, at)),
        nearest: nearest >= 0 ? events[nearest]!.id : null,
        truncated: events.length >= MOST,
        earlier: linesHref(id, at - (BEFORE_MS + AFTER_MS), container),
        later: linesHref(id, at + (BEFORE_MS + AFTER_MS), container),
        everyContainer: container ? linesHref(id, at, null) : null,
      });
    })
    .all(methodNotAllowed(['GET']));

  return r;
}
