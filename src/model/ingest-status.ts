/**
 * What this process's own ingest (the server's follow thread) is doing, as
 * the `ingest` check of /diag and /v1/stats show it: writing, paused on store
 * errors that waiting can fix (store-outage.ts), or not running.
 */
export interface StoreErrorNote {
  message: string;
  /** When it was reported (epoch ms). */
  at: number;
  /** How long ingest was paused for it, once it resumed (ms); null while still paused. */
  pausedMs: number | null;
}

export type IngestStatus =
  | { state: 'writing'; restarts: number; lastStoreError: StoreErrorNote | null }
  | { state: 'paused'; restarts: number; since: number; retryAt: number | null; error: string; lastStoreError: StoreErrorNote | null }
  | { state: 'stopped'; restarts: number; lastStoreError: StoreErrorNote | null };
