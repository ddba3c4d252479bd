/**
 * What the probable-cause rules read: the ticket as gathered (its events,
 * context and health), the wok's audit entries around it, and how many other
 * orgs hit the same code just before. Each rule is a pure function of these.
 */
import type { AuditRecord, LifecycleRecord } from '../../model/activity.js';
import type { Ticket } from '../../model/ticket.js';
import type { OrgCodeCount } from '../../store/store.js';

export interface CauseFacts {
  ticket: Ticket;
  /** The request's wok's audit entries in the context window (any order). */
  audits: readonly AuditRecord[];
  /** The wok's container lifecycle changes in the ten minutes before the failure (any order). */
  lifecycle: readonly LifecycleRecord[];
  /** The same code platform-wide in the window before the request, per org. */
  orgs: readonly OrgCodeCount[];
}

export interface Cause {
  rule: string;
  /** One sentence for operators. */
  text: string;
  /** Safe to show the request's org: no hosts, ids or other orgs; null when the rule has nothing to tell a customer. */
  customerText: string | null;
  /** Ids of the events the sentence rests on. */
  evidence: string[];
}

export type CauseRule = (facts: CauseFacts) => Cause | null;

/** When the request failed: the completion line's time, else its last event's. */
export function failedAt(t: Pick<Ticket, 'events'>): number {
  const done = [...t.events].reverse().find((e) => e.source === 'cp' && e.http);
  return done ? done.time : t.events[t.events.length - 1]!.time;
}

/** Whether a ticket is a failure worth explaining at all. */
export function failed(t: Ticket): boolean {
  return t.error !== null;
}

export function clock(ms: number): string {
  return new Date(ms).toISOString().slice(11, 19);
}

export function seconds(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return s < 120 ? `${s} s` : `${Math.round(s / 60)} min`;
}
