/** GET /search: the request search as a page, with GET /v1/search's parameters (operators only). */
import { Router } from 'express';
import type { AppDeps } from '../app-deps.js';
import { methodNotAllowed } from '../middleware/error-handler.js';
import { requireOperator } from '../middleware/guards.js';
import { searchPageModel, type RawParams } from '../present/search-page.js';
import { runSearch } from '../run-search.js';

export function searchPageRoutes(deps: AppDeps): Router {
  const r = Router();
  r.route('/search')
    .get(requireOperator, async (req, res) => {
      const { page } = await runSearch(deps, req);
      res.render('search', searchPageModel(page, req.query as RawParams));
    })
    .all(methodNotAllowed(['GET']));
  return r;
}
