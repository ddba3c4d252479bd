/**
 * One request search as the page and the API both answer it: the parameters
 * read (unknown ones refused), the lookup recorded in the audit, org and wok
 * checked against what is known, then the store's filtered search.
 */
import type { Request } from 'express';
import type { RequestPage } from '../store/search-filter.js';
import type { AppDeps } from './app-deps.js';
import { requireKnownOrg, requireKnownWok } from './known-filters.js';
import { recordLookup, searchTarget } from './lookup-audit.js';
import { readQuery } from './query.js';
import { requestFilter, searchQuery, type SearchParams } from './search-query.js';

export async function runSearch(deps: AppDeps, req: Request): Promise<{ q: SearchParams; page: RequestPage }> {
  const q = readQuery(searchQuery(deps.clock.now()), req.query);
  await recordLookup(deps, req, 'search', searchTarget(req));
  await requireKnownOrg(deps, q.org);
  await requireKnownWok(deps, q.wok);
  return { q, page: await deps.store.findRequests(requestFilter(q), q.cursor) };
}
