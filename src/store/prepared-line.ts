/**
 * One event as a block needs it: its stored line (encoded, secrets removed)
 * and the few things the block derives from it (time, correlation id, the
 * request, audit or lifecycle record). Bulk ingest makes it as soon as a
 * line is parsed, so the parsed object and the event die young instead of
 * waiting, with all their strings, for the rest of their piece: that waiting
 * was most of the parser threads' garbage collection.
 */
import { isWokChange, type AuditRecord, type LifecycleRecord } from '../model/activity.js';
import type { ContainerRef, Event, Source } from '../model/event.js';
import { summarize, type RequestSummary } from '../model/request.js';
import type { Redactor } from '../redact/redactor.js';
import { encodeForStore, isNotable } from './event-codec.js';

export interface PreparedLine {
  source: Source;
  /** The event's container (container events only): blocks hold one each. */
  container: ContainerRef | null;
  offset: number;
  time: number;
  /** The stored line (encodeForStore). */
  line: string;
  notable: boolean;
  cid: string | null;
  /** The request a cp line ends. */
  request: RequestSummary | null;
  audit: AuditRecord | null;
  /** Set when the audit record changes a wok (WOK_CHANGES). */
  change: boolean;
  lifecycle: LifecycleRecord | null;
}

/**
 * Encodes `e` (redacting it in place when its line may hold a secret) and
 * reads what its block needs from the redacted event.
 */
export function prepareLine(e: Event, redactor: Redactor, offset: number): PreparedLine {
  const line = encodeForStore(e, redactor, offset);
  let request: RequestSummary | null = null;
  let audit: AuditRecord | null = null;
  let lifecycle: LifecycleRecord | null = null;
  if (e.source === 'cp') request = e.http ? summarize(e) : null;
  else if (e.source === 'audit') audit = { eventId: e.id, time: e.time, cid: e.cid, actor: e.actor, org: e.org, wok: e.wok, action: e.action, outcome: e.outcome };
  else if (e.lifecycle) {
    const c = e.container;
    lifecycle = { eventId: e.id, containerId: c.id, containerName: c.name, wok: c.wok ?? e.wok, role: c.role, time: e.time, state: e.lifecycle, message: e.message.slice(0, 500) };
  }
  return {
    source: e.source,
    container: e.source === 'container' ? e.container : null,
    offset,
    time: e.time,
    line,
    notable: isNotable(e),
    cid: e.cid,
    request,
    audit,
    change: audit !== null && isWokChange(audit.action),
    lifecycle,
  };
}
