/**
 * The catalogue beside the logs: every catalogued code with how often it was
 * seen in the last 24 h and 7 d, and, apart, the codes the logs carry that the
 * catalogue lacks (the cp emits more than the seed lists), with their counts,
 * a sample ticket and the cp's own hint, which is what applies to them.
 * One store read over 7 d in seven day-long buckets: the last is the last 24 h.
 */
import { catalog } from '../catalog/catalog.js';
import type { LineReads, RequestReads } from '../store/store.js';
import { hintsOf } from './code-hint.js';

const DAY = 86_400_000;

interface Seen {
  code: string;
  seen24h: number;
  seen7d: number;
  lastSeen: number | null;
  sampleCid: string | null;
}

export interface CatalogRow extends Seen {
  http: number;
  fixSide: string;
  group: string;
  remediation: string;
}

export interface UncataloguedRow extends Seen {
  hint: string | null;
}

export interface CatalogReport {
  from: number;
  to: number;
  catalogued: CatalogRow[];
  uncatalogued: UncataloguedRow[];
}

export async function catalogReport(store: RequestReads & LineReads, now: number): Promise<CatalogReport> {
  const from = now - 7 * DAY;
  const counts = await store.incidentCounts({ from, to: now, buckets: 7 });
  const byCode = new Map(counts.map((c) => [c.code, c]));
  const seen = (code: string): Seen => {
    const c = byCode.get(code);
    return { code, seen24h: c ? c.buckets[6]! : 0, seen7d: c?.count ?? 0, lastSeen: c?.lastSeen ?? null, sampleCid: c?.sampleCid ?? null };
  };
  const catalogued = catalog.entries().map((e) => ({ ...seen(e.code), http: e.http, fixSide: e.fixSide, group: e.group, remediation: e.remediation }));
  const lacking = counts.filter((c) => !catalog.get(c.code));
  const hints = await hintsOf(store, lacking);
  const uncatalogued = lacking.map((c) => ({ ...seen(c.code), hint: hints.get(c.code) ?? null }));
  return { from, to: now, catalogued, uncatalogued };
}
