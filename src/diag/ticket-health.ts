/**
 * Which subsystems were not passing while a request ran, from the stored
 * /diag history: what a ticket shows as "cp_db was failing 14:02–14:05;
 * this request failed at 14:03".
 */
import type { HealthStore } from '../store/store.js';
import { NOT_CONFIGURED } from './check.js';
import { episodes, type Episode } from './history.js';

/** Read this far around the request, so an episode's start and end are known, not cut at the request. */
const LOOKBACK_MS = 2 * 3_600_000;
const LOOKAHEAD_MS = 3_600_000;

export async function healthDuring(store: HealthStore, from: number, to: number, maxGapMs = 90_000): Promise<Episode[]> {
  const records = await store.checkHistory({ from: from - LOOKBACK_MS, to: to + LOOKAHEAD_MS });
  return episodes(records, { maxGapMs })
    .filter((e) => e.from <= to && (e.to ?? e.lastSeen + maxGapMs) >= from)
    // A warning that only says something is not configured explains no request.
    .filter((e) => e.status === 'fail' || !e.output?.startsWith(NOT_CONFIGURED));
}
