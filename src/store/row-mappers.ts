/**
 * Rows → model, for the tables both stores share (inventory keys and woks,
 * streams, request rows). Rows use SQLite's column names; PostgreSQL's reads
 * rename the few that differ there (`user_name`, `off`) before mapping.
 */
import type { Source } from '../model/event.js';
import type { InventoryKey, InventoryWok } from '../model/inventory.js';
import type { RequestSummary } from '../model/request.js';
import type { StreamState } from '../model/stream.js';

export interface KeyRow {
  prefix: string;
  sha256: string;
  org: string;
  user: string;
  kind: 'skl' | 'sllm';
  revoked_at: number | null;
}

export interface WokRow {
  id: string;
  org: string;
  status: string;
  functions_port: number | null;
  created_at: number | null;
}

export interface RequestRow {
  id: number;
  cid: string;
  time: number;
  method: string;
  path: string;
  status: number;
  code: string | null;
  org: string | null;
  user: string | null;
  key_prefix: string | null;
  wok: string | null;
  duration_ms: number | null;
  message: string | null;
}

export function keyFromRow(r: KeyRow): InventoryKey {
  return { prefix: r.prefix, sha256: r.sha256, org: r.org, user: r.user, kind: r.kind, revokedAt: r.revoked_at };
}

export function wokFromRow(r: WokRow): InventoryWok {
  return { id: r.id, org: r.org, status: r.status, functionsPort: r.functions_port, createdAt: r.created_at };
}

export function requestFromRow(r: RequestRow): RequestSummary {
  return {
    cid: r.cid,
    time: r.time,
    method: r.method,
    path: r.path,
    status: r.status,
    code: r.code,
    org: r.org,
    user: r.user,
    keyPrefix: r.key_prefix,
    wok: r.wok,
    durationMs: r.duration_ms,
    message: r.message,
  };
}

export function streamFromRow(r: Record<string, unknown>): StreamState {
  return {
    stream: r.key as string,
    kind: r.kind as StreamState['kind'],
    path: (r.path as string | null) ?? null,
    source: (r.source as Source | null) ?? null,
    containerId: (r.container_id as string | null) ?? null,
    offset: r.offset as number,
    line: r.line as number,
    dev: (r.dev as number | null) ?? null,
    ino: (r.ino as number | null) ?? null,
    size: (r.size as number | null) ?? null,
    lastTime: (r.last_time as number | null) ?? null,
    unparsed: r.unparsed as number,
    invalidUtf8: r.invalid_utf8 as number,
    truncated: r.truncated as number,
    tail: (r.tail as string | null | undefined) ?? null,
    events: r.events as number,
    updatedAt: r.updated_at as number,
  };
}
