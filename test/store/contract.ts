/**
 * The Store contract: one suite every implementation must pass (SQLite and
 * PostgreSQL). `make` opens a fresh, empty store; `reopen` (when given) opens a
 * second connection to the same data, for persistence and concurrency cases.
 */
import { describe } from 'vitest';
import type { Store } from '../../src/store/store.js';
import { accessContract } from './contract/access.js';
import { activityContract } from './contract/activity.js';
import { inventoryContract } from './contract/inventory.js';
import { pruneContract } from './contract/prune.js';
import { queriesContract } from './contract/queries.js';
import { searchContract } from './contract/search.js';
import { searchFiltersContract } from './contract/search-filters.js';
import { writeContract } from './contract/write.js';
import { writePartsContract } from './contract/write-parts.js';
import { writePreparedContract } from './contract/write-prepared.js';
import { codeByOrgContract } from './contract/code-by-org.js';
import { aroundContract } from './contract/around.js';
import { lookupsContract } from './contract/lookups.js';
import { incidentsContract } from './contract/incidents.js';
import { leasesContract } from './contract/leases.js';
import { hostileTextContract } from './contract/hostile-text.js';
import { transferContract } from './contract/transfer.js';
import { ingestNotesContract } from './contract/ingest-notes.js';

export interface StoreHandle {
  store: Store;
  /** Another connection to the same data. */
  reopen: () => Promise<Store>;
  cleanup: () => Promise<void>;
}

export type MakeStore = () => Promise<StoreHandle>;

export function storeContract(name: string, make: MakeStore): void {
  describe(`Store contract: ${name}`, () => {
    writeContract(make);
    writePartsContract(make);
    writePreparedContract(make);
    queriesContract(make);
    searchContract(make);
    activityContract(make);
    inventoryContract(make);
    accessContract(make);
    pruneContract(make);
    codeByOrgContract(make);
    aroundContract(make);
    lookupsContract(make);
    incidentsContract(make);
    searchFiltersContract(make);
    hostileTextContract(make);
    transferContract(make);
    leasesContract(make);
    ingestNotesContract(make);
  });
}
