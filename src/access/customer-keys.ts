/**
 * A customer's platform key, checked the way the cp checks it: shape first
 * (`skl_` + 64 lower-case hex), then the inventory's keys with that prefix,
 * each compared by sha256 in constant time on equal-length digests. Revoked
 * and unknown keys fail alike.
 */
import { keyPrefix, type InventoryKey, type InventorySource } from '../model/inventory.js';
import { digestMatches, sha256 } from './digest.js';

export const PLATFORM_KEY_SHAPE = /^(skl|sllm)_[0-9a-f]{64}$/;

export type KeyCheck =
  | { ok: true; key: InventoryKey }
  | { ok: false; kind: 'skl' | 'sllm'; prefix: string; reason: 'unknown' | 'revoked' };

/** Only for values already known to match PLATFORM_KEY_SHAPE. */
export async function checkPlatformKey(inventory: InventorySource, key: string): Promise<KeyCheck> {
  const prefix = keyPrefix(key)!;
  const kind = key.startsWith('sllm_') ? 'sllm' : 'skl';
  const digest = sha256(key);
  let found: InventoryKey | null = null;
  // Every candidate is compared (no early exit), so the time taken does not depend on which one matches.
  for (const k of await inventory.keysByPrefix(prefix)) {
    if (digestMatches(k.sha256, digest) && k.kind === kind) found ??= k;
  }
  if (!found) return { ok: false, kind, prefix, reason: 'unknown' };
  if (found.revokedAt !== null && found.revokedAt !== undefined) return { ok: false, kind, prefix, reason: 'revoked' };
  return { ok: true, key: found };
}
