/** A snapshot of the cp's orgs, woks and API keys (`tellwang-diag inventory FILE`, or the cp database). */

export type WokStatus = 'active' | 'provisioning' | 'destroyed' | string;

export interface InventoryOrg {
  slug: string;
}

export interface InventoryWok {
  id: string;
  org: string;
  status: WokStatus;
  functionsPort?: number | null;
  createdAt?: number | null;
}

export interface InventoryKey {
  /** `skl_` or `sllm_` plus the first 8 hex characters of the key. */
  prefix: string;
  /** Hex sha256 of the whole key. */
  sha256: string;
  org: string;
  user: string;
  kind: 'skl' | 'sllm';
  revokedAt?: number | null;
}

export interface Inventory {
  orgs: InventoryOrg[];
  woks: InventoryWok[];
  keys: InventoryKey[];
}

const KEY = /^(skl|sllm)_([0-9a-f]{8})/;

/** The stored prefix of a platform key (`skl_1a2b3c4d`), or null if it is not one. */
export function keyPrefix(key: string): string | null {
  const m = KEY.exec(key);
  return m ? `${m[1]}_${m[2]}` : null;
}

/**
 * Where the console learns orgs, woks and keys: the imported snapshot (in the
 * store) or, when configured, the cp's own database (src/cpdb/). Access rules
 * and the wok view read it through this interface only.
 */
export interface InventorySource {
  wok(id: string): Promise<InventoryWok | null>;
  woks(): Promise<InventoryWok[]>;
  keysByPrefix(prefix: string): Promise<InventoryKey[]>;
}
