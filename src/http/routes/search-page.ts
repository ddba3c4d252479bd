/** GET /search: the request search as a page, with GET /v1/search's parameters (operators only). */
import { Router } from 'express';
import type { AppDeps } from '../app-deps.js';
import { methodNotAllowed } from '../middleware/error-handler.js';
import { requireOperator } from '../middleware/guards.js';
import { requireKnownOrg, requireKnownWok } from '../known-filters.js';
import { recordLookup, searchTarget } from '../lookup-audit.js';
import { searchPageModel, type RawParams } from '../present/search-page.js';
import { readQuery } from '../query.js';
import { requestFilter, searchQuery } from '../search-query.js';

export function searchPageRoutes(deps: AppDeps): Router {
  const r = Router();
  r.route('/search')
    .get(requireOperator, async (req, res) => {
      const q = readQuery(searchQuery(deps.clock.now()), req.query);
      await recordLookup(deps, req, 'search', searchTarget(req));
      await requireKnownOrg(deps, q.org);
      await requireKnownWok(deps, q.wok);
      const page = await deps.store.findRequests(requestFilter(q), q.cursor);
      res.render('search', searchPageModel(page, req.query as RawParams));
    })
    .all(methodNotAllowed(['GET']));
  return r;
}
