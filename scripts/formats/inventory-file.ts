/** Platform keys and the inventory snapshot file that names their owners. */
import { createHash, randomBytes } from 'node:crypto';

export interface MintedKey {
  key: string;
  prefix: string;
  sha256: string;
}

/**
 * A platform key (`skl_` or `sllm_` + the random bytes in hex: 32 bytes, 64
 * hex, unless `random` gives another length), its stored prefix (first 8 hex)
 * and digest.
 */
export function mintKey(kind: 'skl' | 'sllm', random: () => Buffer = () => randomBytes(32)): MintedKey {
  const key = `${kind}_${random().toString('hex')}`;
  return { key, prefix: key.slice(0, kind.length + 9), sha256: createHash('sha256').update(key).digest('hex') };
}

export interface InventorySnapshot {
  orgs: { slug: string }[];
  woks: { id: string; org: string; status: string; functions_port?: number | null }[];
  keys: { prefix: string; sha256: string; org: string; user: string; kind?: 'skl' | 'sllm' }[];
}

export function inventoryJson(inv: InventorySnapshot): string {
  return JSON.stringify(inv, null, 2) + '\n';
}
