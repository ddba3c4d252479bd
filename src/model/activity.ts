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
