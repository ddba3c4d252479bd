/**
 * What happened on a wok, as indexed at ingest for the wok view and timeline:
 * container lifecycle changes and audit actions (both rare next to the rest).
 */
import type { Lifecycle } from './event.js';

export interface LifecycleRecord {
  containerId: string;
  containerName: string | null;
  wok: string | null;
  role: string | null;
  time: number;
  state: Lifecycle;
  message: string;
  eventId: string;
}

export interface AuditRecord {
  eventId: string;
  time: number;
  cid: string | null;
  actor: string | null;
  org: string | null;
  wok: string | null;
  action: string;
  outcome: string | null;
}

/**
 * Audit actions that take a wok, or part of it, away — with what they did in
 * words. The stores index these apart from the rest of the audit log (a busy
 * platform's audit log is as dense as its requests; these are rare), so a
 * ticket finds the change behind a failure without reading the whole log.
 * Adding an action needs a store migration that indexes the entries already stored.
 */
export const WOK_CHANGES: Readonly<Record<string, string>> = {
  'wok.restart': 'restarted the wok',
  'wok.env.delete': 'removed an environment variable of the wok',
  'wok.destroy': 'destroyed the wok',
  'wok.trigger.delete': 'deleted a trigger of the wok',
  'llm_key.revoke': 'revoked an LLM key',
  'key.revoke': 'revoked a key',
};

export function isWokChange(action: string): boolean {
  return Object.hasOwn(WOK_CHANGES, action);
}
