/** GET /v1/search: requests by code, org, wok, status and time, newest first, keyset-paged. Also the quarantine of unparsed lines and store stats. */
import { Router } from 'express';
import { CODE_PATTERN } from '../../catalog/catalog.js';
import type { AppDeps } from '../app-deps.js';
import { methodNotAllowed } from '../middleware/error-handler.js';
import { requireOperator } from '../middleware/guards.js';
import { requireKnownOrg, requireKnownWok } from '../known-filters.js';
import { boolParam, intParam, stringParam, timeParam } from '../params.js';
import { iso } from '../present/event-view.js';
import { recordLookup, searchTarget } from '../lookup-audit.js';
import { NO_QUERY, queryShape, readQuery, text } from '../query.js';

const SLUG = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;

const cursor = text((raw) => (raw === undefined || raw === '' ? null : raw));

/** GET /v1/search's parameters; times are read against `now` (relative times mean that long ago). */
const searchQuery = (now: number) =>
  queryShape({
    from: text((raw) => timeParam('from', raw, now)),
    to: text((raw) => timeParam('to', raw, now)),
    code: text((raw) => stringParam('code', raw, CODE_PATTERN)),
    org: text((raw) => stringParam('org', raw, SLUG)),
    wok: text((raw) => stringParam('wok', raw, SLUG)),
    status: text((raw) => intParam('status', raw, 100, 599)),
    failed: text((raw) => boolParam('failed', raw)),
    limit: text((raw) => intParam('limit', raw, 1, 500)),
    cursor,
  });

const UNPARSED_QUERY = queryShape({ cursor, limit: text((raw) => intParam('limit', raw, 1, 500) ?? 100) });
const UNPARSED_PAGE_QUERY = queryShape({ cursor });

export function searchRoutes(deps: AppDeps): Router {
  const r = Router();

  r.route('/v1/search')
    .get(requireOperator, async (req, res) => {
      const q = readQuery(searchQuery(deps.clock.now()), req.query);
      await recordLookup(deps, req, 'search', searchTarget(req));
      await requireKnownOrg(deps, q.org);
      await requireKnownWok(deps, q.wok);
      const { cursor: after, ...filter } = q;
      const page = await deps.store.search(filter, after);
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
      const q = readQuery(UNPARSED_QUERY, req.query);
      const page = await deps.store.unparsed(q.cursor, q.limit);
      res.json({ items: page.items.map((u) => ({ ...u, time: iso(u.time) })), next: page.next });
    })
    .all(methodNotAllowed(['GET']));

  r.route('/unparsed')
    .get(requireOperator, async (req, res) => {
      const page = await deps.store.unparsed(readQuery(UNPARSED_PAGE_QUERY, req.query).cursor, 200);
      res.render('unparsed', { title: 'Unparsed lines', items: page.items, next: page.next });
    })
    .all(methodNotAllowed(['GET']));

  r.route('/v1/stats')
    .get(requireOperator, async (req, res) => {
      readQuery(NO_QUERY, req.query);
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
