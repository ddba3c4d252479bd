import { CATALOG_ENTRIES } from './catalog.generated.js';
import type { CatalogEntry } from './parse-seed.js';

export type { CatalogEntry };

/** What a ticket shows as the fix: the catalogued remediation, or the cp's own hint for an uncatalogued code. */
export type Remediation =
  | { kind: 'catalogued'; code: string; group: string; http: number; fixSide: string; text: string }
  | { kind: 'uncatalogued'; code: string; http: number | null; text: string | null };

const byCode = new Map<string, CatalogEntry>(CATALOG_ENTRIES.map((e) => [e.code, e]));

/** Platform error codes have this shape; anything else is not a code (and never looked up). */
export const CODE_PATTERN = /^CP_[A-Z0-9_]{1,64}$/;

export const catalog = {
  entries(): readonly CatalogEntry[] {
    return CATALOG_ENTRIES;
  },
  get(code: string): CatalogEntry | undefined {
    return byCode.get(code);
  },
  groups(): string[] {
    return [...new Set(CATALOG_ENTRIES.map((e) => e.group))];
  },
  /**
   * The remediation for a code: the catalogue's text when the code is listed,
   * else the cp's own hint (or message) from the envelope, as the seed's
   * "Beyond this list" section says.
   */
  remediation(code: string | null, fallback: { hint?: string | null; message?: string | null; http?: number | null } = {}): Remediation | null {
    if (!code) return null;
    const e = byCode.get(code);
    if (e) return { kind: 'catalogued', code, group: e.group, http: e.http, fixSide: e.fixSide, text: e.remediation };
    return { kind: 'uncatalogued', code, http: fallback.http ?? null, text: fallback.hint ?? fallback.message ?? null };
  },
};

export type Catalog = typeof catalog;
