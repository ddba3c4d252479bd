/** GET /v1/search: requests by code, org, wok, status and time, newest first, keyset-paged. Also the quarantine of unparsed lines and store stats. */
import { Router } from 'express';
import { CODE_PATTERN } from '../../catalog/catalog.js';
import type { AppDeps } from '../app-deps.js';
import { methodNotAllowed } from '../middleware/error-handler.js';
import { requireOperator } from '../middleware/guards.js';
import { intParam, stringParam, timeParam } from '../params.js';
import { iso } from '../present/event-view.js';

const SLUG = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;

export function searchRoutes(deps: AppDeps): Router {
  const r = Router();

  r.route('/v1/search')
    .get(requireOperator, async (req, res) => {
      const q = req.query;
      const now = deps.clock.now();
      const page = await deps.store.search(
        {
          from: timeParam('from', q.from, now),
          to: timeParam('to', q.to, now),
          code: stringParam('code', q.code, CODE_PATTERN),
          org: stringParam('org', q.org, SLUG),
          wok: stringParam('wok', q.wok, SLUG),
          status: intParam('status', q.status, 100, 599),
          failed: q.failed === '1' || q.failed === 'true',
          limit: intParam('limit', q.limit, 1, 500),
        },
        typeof q.cursor === 'string' ? q.cursor : null,
      );
      res.json({
        items: page.items.map((s) => ({
          correlation_id: s.cid,
          time: iso(s.time),
          // '' in the store when the completion line did not log the request (quietResLogger).
          method: s.method || null,
          path: s.path || null,
          status: s.status,
          code: s.code,
          org: s.org,
          user: s.user,
          wok: s.wok,
          duration_ms: s.durationMs,
        })),
        next: page.next,
      });
    })
    .all(methodNotAllowed(['GET']));

  r.route('/v1/unparsed')
    .get(requireOperator, async (req, res) => {
      const page = await deps.store.unparsed(typeof req.query.cursor === 'string' ? req.query.cursor : null, intParam('limit', req.query.limit, 1, 500) ?? 100);
      res.json({ items: page.items.map((u) => ({ ...u, time: iso(u.time) })), next: page.next });
    })
    .all(methodNotAllowed(['GET']));

  r.route('/unparsed')
    .get(requireOperator, async (req, res) => {
      const page = await deps.store.unparsed(typeof req.query.cursor === 'string' ? req.query.cursor : null, 200);
      res.render('unparsed', { title: 'Unparsed lines', items: page.items, next: page.next });
    })
    .all(methodNotAllowed(['GET']));

  r.route('/v1/stats')
    .get(requireOperator, async (_req, res) => {
      const s = await deps.store.stats();
      res.json({
        events: s.events,
        unparsed: s.unparsed,
        correlation_ids: s.correlationIds,
        requests: s.requests,
        streams: s.streams.map((st) => ({
          stream: st.stream,
          kind: st.kind,
          path: st.path,
          offset: st.offset,
          size: st.size,
          lag_bytes: st.size !== null ? Math.max(0, st.size - st.offset) : null,
          lines: st.line,
          events: st.events,
          unparsed: st.unparsed,
          last_time: st.lastTime !== null ? iso(st.lastTime) : null,
        })),
      });
    })
    .all(methodNotAllowed(['GET']));

  return r;
}
