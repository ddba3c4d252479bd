/**
 * Who is affected by a failing check: per org, the failed requests answered
 * with the codes the check reads from the logs, and when the first of them
 * came. Over the longer of the check's log window and the current failing
 * run (from the stored history), at most a day: an outage that began an hour
 * ago names every org it hit since, not only those of the last minutes.
 */
import type { CheckOutcome } from './check.js';
import { episodes } from './history.js';
import type { CheckRecord } from '../model/health.js';
import type { AffectedOrg, RequestReads } from '../store/store.js';

/** The error codes each check reads (src/diag/checks/*): the requests that say its subsystem failed someone. */
export const CHECK_CODES: Readonly<Record<string, readonly string[]>> = {
  cp_db: ['CP_DB_QUERY_FAILED'],
  llm_upstream: ['CP_LLM_UPSTREAM_FAILED'],
  email_upstream: ['CP_EMAIL_UPSTREAM_FAILED'],
  dns_upstream: ['CP_DOMAIN_UPSTREAM_FAILED'],
  functions: ['CP_FUNCTION_RUNTIME_UNAVAILABLE'],
  reconciler: ['CP_STATUS_STALE', 'CP_FUNCTIONS_NOT_ENABLED'],
};

const MOST_MS = 24 * 3_600_000;
/** Orgs listed under a check; the search has the rest. */
const LIST = 20;

export interface Affected {
  check: string;
  codes: readonly string[];
  from: number;
  to: number;
  orgs: AffectedOrg[];
}

export async function affectedByCheck(
  store: RequestReads,
  outcomes: readonly CheckOutcome[],
  history: readonly CheckRecord[],
  o: { now: number; windowMs: number; maxGapMs: number },
): Promise<Record<string, Affected>> {
  const failing = outcomes.filter((x) => x.status === 'fail' && CHECK_CODES[x.check]);
  const runs = episodes(history, { maxGapMs: o.maxGapMs }).filter((e) => e.status === 'fail' && e.to === null);
  const found = await Promise.all(
    failing.map(async (x): Promise<Affected> => {
      const started = Math.min(o.now, ...runs.filter((e) => e.check === x.check).map((e) => e.from));
      const from = Math.max(o.now - MOST_MS, Math.min(o.now - o.windowMs, started - o.windowMs));
      const codes = CHECK_CODES[x.check]!;
      return { check: x.check, codes, from, to: o.now, orgs: await store.affectedOrgs({ from, to: o.now, codes: [...codes], limit: LIST }) };
    }),
  );
  return Object.fromEntries(found.map((a) => [a.check, a]));
}
