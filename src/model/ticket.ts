import type { Remediation } from '../catalog/catalog.js';
import type { Event } from './event.js';

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
