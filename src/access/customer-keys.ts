/**
 * A customer's platform key, checked the way the cp checks it: shape first
 * (`skl_` or `sllm_` + KEY_HEX_MIN to KEY_HEX_MAX lower-case hex), then the
 * inventory's keys with that prefix, each compared by sha256 in constant time
 * on equal-length digests. Revoked and unknown keys fail alike.
 */
import { keyPrefix, type InventoryKey, type InventorySource } from '../model/inventory.js';
import { digestMatches, sha256 } from './digest.js';

/**
 * The fewest hex characters a key may have: 128 bits. The console indexes
 * and shows the first 8 (32 bits) in stubs and logs; below 128 bits what is
 * left unseen would be too little to stay unguessed.
 */
export const KEY_HEX_MIN = 32;

/**
 * The most: 512 bits. Nothing mints longer keys, and the cap bounds what one
 * request can make the console hash.
 */
export const KEY_HEX_MAX = 128;

/**
 * Lower-case only: the cp mints lower-case hex and the inventory holds the
 * digest of the key as minted, so an upper-cased key could never match; it
 * is refused as the wrong shape rather than checked as an unknown key.
 */
export const PLATFORM_KEY_SHAPE = new RegExp(`^(skl|sllm)_[0-9a-f]{${KEY_HEX_MIN},${KEY_HEX_MAX}}$`);

/** The shape in words, for error messages. */
export const PLATFORM_KEY_SHAPE_TEXT = `skl_ or sllm_ followed by ${KEY_HEX_MIN} to ${KEY_HEX_MAX} lower-case hex characters`;

export type KeyCheck =
  | { ok: true; key: InventoryKey }
  | { ok: false; kind: 'skl' | 'sllm'; prefix: string; reason: 'unknown' | 'revoked' };

/** Only for values already known to match PLATFORM_KEY_SHAPE. */
export async function checkPlatformKey(inventory: InventorySource, key: string): Promise<KeyCheck> {
  const prefix = keyPrefix(key)!;
  const kind = key.startsWith('sllm_') ? 'sllm' : 'skl';
  // A digest is 32 bytes whatever the key's length: every comparison below is of equal lengths.
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
