/**
 * The read-only contract the console needs from the cp database
 * (sql/cp-contract.sql creates it as views): four relations and their
 * columns. checkContract reads one row of each, so a missing view, a
 * renamed column or a revoked grant shows up as what it is.
 */
import type { CpDatabase } from './cp-database.js';
import { toCpError } from './cp-database.js';

export const CONTRACT = {
  orgs: ['slug'],
  woks: ['id', 'org_slug', 'status', 'functions_port', 'created_at'],
  wok_status: ['wok_id', 'state', 'refreshed_at'],
  api_keys: ['prefix', 'sha256', 'org_slug', 'user_id', 'kind', 'revoked_at'],
} as const;

export type ContractView = keyof typeof CONTRACT;

export interface ViewCheck {
  view: ContractView;
  ok: boolean;
  /** What went wrong reading it, if it did. */
  error: string | null;
  /** It is not there as the contract has it (no such view, or a column missing): sql/cp-contract.sql was not applied, or not as it is now. */
  missing: boolean;
}

export async function checkContract(db: CpDatabase, signal?: AbortSignal): Promise<ViewCheck[]> {
  const out: ViewCheck[] = [];
  for (const [view, cols] of Object.entries(CONTRACT) as [ContractView, readonly string[]][]) {
    try {
      await db.query(`SELECT ${cols.join(', ')} FROM ${view} LIMIT 1`, [], signal);
      out.push({ view, ok: true, error: null, missing: false });
    } catch (e) {
      const ce = toCpError(e, signal);
      if (ce.reason !== 'query' && ce.reason !== 'rejected' && ce.reason !== 'contract') throw ce;
      out.push({ view, ok: false, error: ce.message, missing: ce.reason === 'contract' });
    }
  }
  return out;
}
