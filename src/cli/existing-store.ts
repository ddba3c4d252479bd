/**
 * Commands that only read (ticket, stats, unparsed, the lists) or change what
 * is already there (prune, disabling an operator, revoking a token) refuse a
 * store that does not exist, instead of creating an empty one and answering
 * that nothing was logged: a mistyped --db, or a command run from another
 * directory than the default ./data/diag.sqlite is relative to, says so.
 */
import { missingStore } from '../store/store-presence.js';
import { StoreError } from '../store/store.js';

export const WHERE_HINT = 'pass --db or set DIAG_DB';

/** Throws a one-line StoreError when `target` names no store: no such SQLite file, or no such PostgreSQL schema. */
export async function requireExistingStore(target: string): Promise<void> {
  const missing = await missingStore(target);
  if (missing) throw new StoreError(`${missing}; ${WHERE_HINT}`, 'other');
}
