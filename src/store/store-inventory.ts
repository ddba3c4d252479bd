import type { InventoryKey, InventorySource, InventoryWok } from '../model/inventory.js';
import type { Store } from './store.js';

/** The imported inventory snapshot, read from the store. */
export function storeInventory(store: Store): InventorySource {
  return {
    wok: (id: string): Promise<InventoryWok | null> => store.wok(id),
    woks: async (): Promise<InventoryWok[]> => (await store.inventory()).woks,
    keysByPrefix: (prefix: string): Promise<InventoryKey[]> => store.keysByPrefix(prefix),
  };
}
