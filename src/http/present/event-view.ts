/**
 * An event as the API and the pages show it: ISO time, the fields a reader
 * needs first, and — only when asked — the stack trace and the stored record.
 */
import type { Event, Fields } from '../../model/event.js';

export interface EventDetail {
  /** Include err.stack. */
  stack: boolean;
  /** Include the whole stored record (redacted) as `raw`. */
  raw: boolean;
}

export interface EventJson {
  id: string;
  source: Event['source'];
  time: string;
  level: Event['level'];
  message: string;
  correlation_id: string | null;
  code: string | null;
  wok: string | null;
  org: string | null;
  container?: { id: string; name: string | null; wok: string | null; role: string | null };
  stream?: 'stdout' | 'stderr';
  format?: string;
  lifecycle?: string | null;
  http?: { method: string | null; path: string | null; status: number; duration_ms: number | null; key_prefix: string | null };
  err?: { type: string | null; message: string | null; code: string | null; stack?: string | null };
  audit?: { actor: string | null; action: string; outcome: string | null; ip: string | null };
  fields?: Fields;
  raw?: Event;
}

export function iso(ms: number): string {
  return Number.isFinite(ms) ? new Date(ms).toISOString() : String(ms);
}

export function eventJson(e: Event, detail: EventDetail): EventJson {
  const out: EventJson = {
    id: e.id,
    source: e.source,
    time: iso(e.time),
    level: e.level,
    message: e.message,
    correlation_id: e.cid,
    code: e.code,
    wok: e.wok,
    org: e.org,
  };
  if (e.source === 'container') {
    out.container = { id: e.container.id, name: e.container.name, wok: e.container.wok, role: e.container.role };
    out.stream = e.stream;
    out.format = e.format;
    out.lifecycle = e.lifecycle;
  }
  if (e.source === 'cp' && e.http) {
    const h = e.http;
    out.http = { method: h.method || null, path: h.path || null, status: h.status, duration_ms: h.durationMs, key_prefix: h.keyPrefix };
  }
  if (e.source !== 'audit' && e.err) {
    out.err = { type: e.err.type, message: e.err.message, code: e.err.code };
    if (detail.stack) out.err.stack = e.err.stack;
  }
  if (e.source === 'audit') out.audit = { actor: e.actor, action: e.action, outcome: e.outcome, ip: e.ip };
  if (Object.keys(e.fields).length) out.fields = e.fields;
  if (detail.raw) out.raw = e;
  return out;
}
