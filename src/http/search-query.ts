/** The request search's query parameters, shared by GET /v1/search and GET /search, and the JSON form of a result row. */
import { CODE_PATTERN } from '../catalog/catalog.js';
import { DiagError } from '../errors/diag-error.js';
import { SOURCES, type Source } from '../model/event.js';
import type { RequestSummary } from '../model/request.js';
import { FIX_SIDES, type FixSide, type RequestFilter } from '../store/search-filter.js';
import { boolParam, intParam, stringParam, timeParam } from './params.js';
import { iso } from './present/event-view.js';
import { queryShape, text } from './query.js';

export const SLUG = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;
const METHOD = /^[A-Za-z]{1,10}$/;
/** A user as the cp logs it: a name or an e-mail address. */
const USER = /^[A-Za-z0-9][A-Za-z0-9_.+@-]{0,127}$/;
/** A path prefix: starts with '/', printable, no spaces. */
const PATH = /^\/[\x21-\x7e]{0,199}$/;

function oneOf<T extends string>(name: string, raw: string | undefined, values: readonly T[]): T | undefined {
  if (raw === undefined || raw === '') return undefined;
  if ((values as readonly string[]).includes(raw)) return raw as T;
  throw new DiagError('DIAG_INVALID_QUERY', `${name} is one of ${values.join(', ')}`);
}

/** Free text: 1–200 characters, no control characters; searched as a literal, any case. */
function freeText(raw: string | undefined): string | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  if (raw.length > 200 || /[\x00-\x1f\x7f]/.test(raw)) throw new DiagError('DIAG_INVALID_QUERY', 'q is up to 200 characters of text, without control characters');
  return raw.trim();
}

const cursor = text((raw) => (raw === undefined || raw === '' ? null : raw));

/** The parameters; times are read against `now` (relative times mean that long ago). */
export const searchQuery = (now: number) =>
  queryShape({
    from: text((raw) => timeParam('from', raw, now)),
    to: text((raw) => timeParam('to', raw, now)),
    code: text((raw) => stringParam('code', raw, CODE_PATTERN)),
    org: text((raw) => stringParam('org', raw, SLUG)),
    wok: text((raw) => stringParam('wok', raw, SLUG)),
    status: text((raw) => intParam('status', raw, 100, 599)),
    failed: text((raw) => boolParam('failed', raw)),
    fix_side: text((raw) => oneOf<FixSide>('fix_side', raw, FIX_SIDES)),
    source: text((raw) => oneOf<Source>('source', raw, SOURCES)),
    method: text((raw) => stringParam('method', raw, METHOD)?.toUpperCase()),
    user: text((raw) => stringParam('user', raw, USER)),
    path: text((raw) => stringParam('path', raw, PATH)),
    q: text(freeText),
    limit: text((raw) => intParam('limit', raw, 1, 500)),
    cursor,
  });

export type SearchParams = ReturnType<ReturnType<typeof searchQuery>['parse']>;

/** The store's filter for the parameters (the cursor apart). */
export function requestFilter(q: SearchParams): RequestFilter {
  const { cursor: _c, fix_side, failed, ...rest } = q;
  const f: RequestFilter = { ...rest, ...(fix_side ? { fixSide: fix_side } : {}) };
  if (failed) f.failed = true;
  return f;
}

export function searchItem(s: RequestSummary) {
  return {
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
  };
}
