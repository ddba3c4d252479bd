import type { Remediation } from '../catalog/catalog.js';
import type { Event } from './event.js';
import type { AuditRecord } from './activity.js';
import type { Cause } from '../queries/cause/facts.js';
import type { Related } from '../queries/related.js';

/** Everything the platform logged for one correlation id, joined. */
export interface Ticket {
  cid: string;
  request: TicketRequest | null;
  error: { code: string | null; message: string | null; hint: string | null } | null;
  remediation: Remediation | null;
  /** Every event carrying the id, from every source, in time order. */
  events: Event[];
  /** Lines of the addressed wok's containers around the request that explain it without carrying the id. */
  context: Event[];
  window: { from: number; to: number } | null;
  /** Subsystems warning or failing while the request ran (stored /diag history); empty when all passed or nothing was stored. */
  health?: TicketHealth[];
  /** The wok's audit entries from ten minutes before the failure to the end of the context window, oldest first (a restart, an env var removed…). */
  audits?: AuditRecord[];
  /** The same code on the wok around the request, and platform-wide before it; null without a code. */
  related?: Related | null;
  /** The most likely cause of a failure; null when none is found (or nothing failed). */
  cause?: Cause | null;
}

/** One subsystem's non-pass episode overlapping the request: "cp_db was failing 14:02–14:05". */
export interface TicketHealth {
  check: string;
  status: 'warn' | 'fail';
  from: number;
  /** Last stored result in that state. */
  lastSeen: number;
  /** When it was first seen in another state; null while it lasts or when unknown. */
  to: number | null;
  output: string | null;
}

export interface TicketRequest {
  method: string | null;
  path: string | null;
  status: number | null;
  org: string | null;
  user: string | null;
  keyPrefix: string | null;
  wok: string | null;
  time: number;
  durationMs: number | null;
}
