/** GET /v1/search: requests by code, org, wok, status, time, fix side, source, method, path and free text, newest first, keyset-paged. Also the quarantine of unparsed lines and store stats. */
import { Router } from 'express';
import type { AppDeps } from '../app-deps.js';
import { methodNotAllowed } from '../middleware/error-handler.js';
import { requireOperator } from '../middleware/guards.js';
import { intParam } from '../params.js';
import { iso } from '../present/event-view.js';
import { NO_QUERY, queryShape, readQuery, text } from '../query.js';
import { searchItem } from '../search-query.js';
import { streamLag } from '../../ingest/readers/stream-lag.js';
import { statsJson } from '../present/stats-json.js';
import { runSearch } from '../run-search.js';

const cursor = text((raw) => (raw === undefined || raw === '' ? null : raw));

const UNPARSED_QUERY = queryShape({ cursor, limit: text((raw) => intParam('limit', raw, 1, 500) ?? 100) });
const UNPARSED_PAGE_QUERY = queryShape({ cursor });

export function searchRoutes(deps: AppDeps): Router {
  const r = Router();

  r.route('/v1/search')
    .get(requireOperator, async (req, res) => {
      const { page } = await runSearch(deps, req);
      res.json({ items: page.items.map(searchItem), next: page.next, count: page.count.value, count_exact: page.count.exact });
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
      const [s, notes] = await Promise.all([deps.store.stats(), deps.store.ingestNotes()]);
      // The same JSON as `tellwang-diag stats --json`, lag measured on the files as they are now.
      res.json(statsJson(s, s.streams.map(streamLag), await deps.store.leaseTable(), notes));
    })
    .all(methodNotAllowed(['GET']));

  return r;
}
