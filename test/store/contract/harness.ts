/** Per-test store lifecycle for the contract parts: a fresh store before each test, cleaned up after. */
import { afterEach, beforeEach } from 'vitest';
import type { Store } from '../../../src/store/store.js';
import type { MakeStore, StoreHandle } from '../contract.js';

export interface Current {
  store: Store;
  handle: StoreHandle;
  /** Opens another connection to the same data; closed by the harness. */
  reopen(): Promise<Store>;
}

export function useStore(make: MakeStore): Current {
  const extra: Store[] = [];
  let handle: StoreHandle | null = null;
  const current = {
    get store(): Store {
      if (!handle) throw new Error('no store open');
      return handle.store;
    },
    get handle(): StoreHandle {
      if (!handle) throw new Error('no store open');
      return handle;
    },
    async reopen(): Promise<Store> {
      const s = await current.handle.reopen();
      extra.push(s);
      return s;
    },
  };
  beforeEach(async () => {
    handle = await make();
  });
  afterEach(async () => {
    for (const s of extra.splice(0)) await s.close();
    const h = handle;
    handle = null;
    if (h) await h.cleanup();
  });
  return current;
}
