/**
 * An org or wok filter names something that exists: one the inventory knows,
 * or one the logs have seen (a wok known only from its containers' logs is
 * still a wok). Anything else is a 400 DIAG_INVALID_QUERY that says so and
 * lists the ones it might have meant, instead of an empty answer that reads
 * as "nothing happened".
 */
import { DiagError } from '../errors/diag-error.js';
import type { InventorySource } from '../model/inventory.js';
import type { ActivityReads, RequestReads } from '../store/store.js';

interface Sources {
  store: ActivityReads & RequestReads;
  inventory: InventorySource;
}

const SHOWN = 12;

function known(kind: string, names: string[]): string {
  const all = [...new Set(names)].sort();
  if (!all.length) return `; the inventory lists no ${kind}s (import one with tellwang-diag inventory FILE)`;
  return `; known ${kind}s: ${all.slice(0, SHOWN).join(', ')}${all.length > SHOWN ? `, … (${all.length})` : ''}`;
}

export async function requireKnownOrg(s: Sources, org: string | undefined): Promise<void> {
  if (org === undefined) return;
  const woks = await s.inventory.woks();
  if (woks.some((w) => w.org === org)) return;
  if ((await s.store.search({ org, limit: 1 })).items.length) return;
  throw new DiagError('DIAG_INVALID_QUERY', `org=${JSON.stringify(org)} is not an org in the inventory or the logs${known('org', woks.map((w) => w.org))}`);
}

export async function requireKnownWok(s: Sources, wok: string | undefined): Promise<void> {
  if (wok === undefined) return;
  if (await s.inventory.wok(wok)) return;
  if ((await s.store.containers(wok)).length || (await s.store.search({ wok, limit: 1 })).items.length) return;
  const woks = await s.inventory.woks();
  throw new DiagError('DIAG_INVALID_QUERY', `wok=${JSON.stringify(wok)} is not a wok in the inventory or the logs${known('wok', woks.map((w) => w.id))}`);
}
