/**
 * The probable cause of a failed request: the first rule, in priority order,
 * that finds its evidence in the gathered facts; null when none does (the
 * ticket then says so rather than guessing). The most direct evidence comes
 * first — a container down, a subsystem failing — then a change on the wok,
 * then the breadth of the failure across orgs.
 */
import { auditChange } from './audit-change.js';
import { dbRestart } from './db-restart.js';
import type { Cause, CauseFacts, CauseRule } from './facts.js';
import { manyOrgs } from './many-orgs.js';
import { runtimeCrashLoop } from './runtime-crash-loop.js';
import { subsystemFailing } from './subsystem-failing.js';

export type { Cause, CauseFacts } from './facts.js';

export const RULES: readonly CauseRule[] = [dbRestart, runtimeCrashLoop, subsystemFailing, auditChange, manyOrgs];

export function probableCause(facts: CauseFacts): Cause | null {
  if (!facts.ticket.error) return null;
  for (const rule of RULES) {
    const c = rule(facts);
    if (c) return c;
  }
  return null;
}
