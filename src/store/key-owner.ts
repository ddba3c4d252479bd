/**
 * Who a key prefix belongs to, the one rule both stores and the ticket use:
 * of the inventory's keys with that prefix (a prefix is the first 8 hex of a
 * key, so two keys may share one), a live key before a revoked one, then the
 * lowest digest — the same answer every time, whatever order the rows came in.
 * The stores name the callers of requests whose line did not by this rule, at
 * ingest and again when an inventory arrives later.
 */
import type { InventoryKey } from '../model/inventory.js';

/** The rule as an SQL ORDER BY over inv_keys (columns revoked_at and sha256), behind an optional table alias. */
export function keyOwnerOrder(alias = ''): string {
  const a = alias ? `${alias}.` : '';
  return `${a}revoked_at IS NOT NULL, ${a}sha256`;
}

/** An SQL scalar subquery: the owner's `column` for the key prefix the expression `prefix` gives. */
export function keyOwnerSql(column: string, prefix: string): string {
  return `(SELECT o.${column} FROM inv_keys o WHERE o.prefix = ${prefix} ORDER BY ${keyOwnerOrder('o')} LIMIT 1)`;
}

/** The rule over keys already read (any order): the owner, or null when none has the prefix. */
export function keyOwner(keys: readonly InventoryKey[]): InventoryKey | null {
  let best: InventoryKey | null = null;
  for (const k of keys) {
    if (!best) best = k;
    else {
      const live = Number(k.revokedAt != null) - Number(best.revokedAt != null);
      if (live < 0 || (live === 0 && k.sha256 < best.sha256)) best = k;
    }
  }
  return best;
}
