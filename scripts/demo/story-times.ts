/**
 * When the demo's stories happen, relative to `now`, in one place: background
 * traffic stays out of these windows so it never contradicts a story (no
 * successful exec_sql on a db that is down, no LLM success in the middle of
 * the upstream outage).
 */
import { MIN } from './timeline.js';

export interface StoryTimes {
  /** Where the demo's logs begin (the platform's containers restarted for maintenance then). */
  logsFrom: number;
  /** Background traffic runs from here to a minute before now. */
  trafficFrom: number;
  /** ledger's db container restart (POST /v1/woks/ledger/restart). */
  dbRestart: number;
  /** The cp's own PostgreSQL failing: CP_DB_QUERY_FAILED. */
  cpDbFrom: number;
  cpDbTo: number;
  /** The LLM upstream outage: CP_LLM_UPSTREAM_FAILED. */
  llmOutageFrom: number;
  /** inbox's functions runtime starts crash-looping (an env var it needs was removed). */
  inboxBreak: number;
  /** The reconciler's last successful refresh of legacy's status row. */
  legacyRefreshed: number;
  /** northwind creates the staging wok. */
  stagingCreated: number;
  /** initech destroys oldcrm. */
  oldcrmDestroyed: number;
}

export function storyTimes(now: number): StoryTimes {
  return {
    logsFrom: now - 270 * MIN,
    trafficFrom: now - 240 * MIN,
    dbRestart: now - 35 * MIN,
    cpDbFrom: now - 62 * MIN,
    cpDbTo: now - 59 * MIN,
    llmOutageFrom: now - 10 * MIN,
    inboxBreak: now - 28 * MIN,
    legacyRefreshed: now - 53 * MIN,
    stagingCreated: now - 22 * MIN,
    oldcrmDestroyed: now - 180 * MIN,
  };
}

/** True when background traffic of this kind on this wok would step on a story. */
export function storyBusy(s: StoryTimes, at: number, kind: string, wok: string | null): boolean {
  if (at >= s.cpDbFrom - MIN && at <= s.cpDbTo + MIN) return true;
  if (wok === 'ledger' && at >= s.dbRestart - MIN && at <= s.dbRestart + MIN) return true;
  if (kind === 'llm' && at >= s.llmOutageFrom - MIN) return true;
  if (wok === 'inbox' && kind === 'invoke' && at >= s.inboxBreak) return true;
  if (wok === 'legacy' && at >= s.legacyRefreshed) return true;
  return false;
}
