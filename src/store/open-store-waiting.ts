/**
 * Opening a store for a thread that is started again while the database is
 * away (the follow and push threads of the server): an error waiting can fix
 * (store-outage.ts) is reported and the open tried again after a growing
 * pause, so a restart during an outage waits for the database instead of
 * failing at once; any other error is thrown.
 */
import { openStore, type OpenStoreOptions } from './open-store.js';
import { waitingCanFix } from './store-outage.js';
import type { Store, StoreError } from './store.js';

export interface OpenWaitingOptions {
  signal: AbortSignal;
  onWait: (e: StoreError, retryInMs: number) => void;
  maxBackoffMs?: number;
}

/** The open store, or null when `signal` aborted first. */
export async function openStoreWaiting(target: string, opts: OpenStoreOptions, o: OpenWaitingOptions): Promise<Store | null> {
  let backoff = 0;
  while (!o.signal.aborted) {
    try {
      return await openStore(target, opts);
    } catch (e) {
      if (!waitingCanFix(e)) throw e;
      backoff = Math.min(o.maxBackoffMs ?? 30_000, Math.max(1000, backoff * 2));
      o.onWait(e, backoff);
      await pause(backoff, o.signal);
    }
  }
  return null;
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
