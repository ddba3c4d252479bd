import type { CpEvent } from './event.js';

/**
 * One row per request, derived at ingest from the line pino-http writes when the
 * request ends. Search, counts and the wok view read these, never the events.
 */
export interface RequestSummary {
  cid: string;
  /** When the request started (completion time minus its duration), epoch ms. */
  time: number;
  /** '' when the completion line did not log the request (pino-http's quietResLogger; HttpInfo). */
  method: string;
  /** '' when not logged, as `method`. */
  path: string;
  status: number;
  code: string | null;
  org: string | null;
  user: string | null;
  keyPrefix: string | null;
  wok: string | null;
  durationMs: number | null;
  message: string | null;
}

const WOK_IN_PATH = /^\/v1\/woks\/([a-z][a-z0-9]{0,30})(?:[/?]|$)/;
const ORG_IN_PATH = /^\/v1\/orgs\/([A-Za-z0-9][A-Za-z0-9_-]{0,62})(?:[/?]|$)/;

export function wokFromPath(path: string): string | null {
  return WOK_IN_PATH.exec(path)?.[1] ?? null;
}

export function orgFromPath(path: string): string | null {
  return ORG_IN_PATH.exec(path)?.[1] ?? null;
}

/** The summary row for a cp line that ends a request, or null for any other line. */
export function summarize(e: CpEvent): RequestSummary | null {
  if (!e.http || !e.cid) return null;
  const h = e.http;
  return {
    cid: e.cid,
    time: h.durationMs != null ? Math.round(e.time - h.durationMs) : e.time,
    method: h.method,
    path: h.path,
    status: h.status,
    code: e.code,
    org: e.org ?? orgFromPath(h.path),
    user: h.user,
    keyPrefix: h.keyPrefix,
    wok: e.wok ?? wokFromPath(h.path),
    durationMs: h.durationMs,
    message: e.err?.message ?? null,
  };
}
