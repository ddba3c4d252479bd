/**
 * PostgreSQL's `jsonlog` (log_destination = 'jsonlog', PostgreSQL 15+): one
 * object per line, e.g.
 *
 *   {"timestamp":"2026-11-24 20:22:24.843 UTC","user":"app","dbname":"wok","pid":6178,
 *    "session_id":"6743…","line_num":3,"ps":"SELECT","error_severity":"ERROR","state_code":"42P01",
 *    "message":"relation \"missing_table\" does not exist","statement":"select * from missing_table",
 *    "application_name":"cp:5367500fbf670405","backend_type":"client backend","query_id":0}
 *
 * As with the text format, the cp sets application_name to `cp:<correlation id>`.
 */
import type { ContainerEvent, ContainerRef, Fields, Json, Level } from '../../model/event.js';
import { lifecycleOf } from './lifecycle.js';
import { num, str, type Obj } from './pino-fields.js';
import { pgStampTime } from './pg-time.js';
import { applicationCid, severityLevel } from './postgres-text.js';

export function isPostgresJson(o: Obj): boolean {
  return typeof o.error_severity === 'string' && typeof o.timestamp === 'string' && typeof o.message === 'string';
}

/** Keys copied into the event's fields when present. */
const KEPT = ['user', 'dbname', 'state_code', 'detail', 'hint', 'context', 'statement', 'internal_query', 'backend_type', 'session_id', 'remote_host', 'ps', 'func_name'] as const;

/** `%m`-style time ("2026-11-24 20:22:24.843 UTC") → epoch ms, read with the text format's zone rules, or null. */
export function postgresStampTime(stamp: string): number | null {
  return pgStampTime(stamp);
}

/** What a jsonlog object says, wherever it was read (a file of its own, or a container's log record). */
export interface PostgresJsonLine {
  /** null when the timestamp cannot be read. */
  time: number | null;
  severity: string;
  level: Level;
  cid: string | null;
  message: string;
  fields: Fields;
  lifecycle: ContainerEvent['lifecycle'];
}

/** Reads an object isPostgresJson accepted. */
export function readPostgresJson(o: Obj): PostgresJsonLine {
  const severity = o.error_severity as string;
  const level = severityLevel(severity);
  const application = str(o.application_name);
  const message = o.message as string;
  const fields: { [k: string]: Json } = { severity };
  const pid = num(o.pid);
  if (pid !== null) fields.pid = pid;
  if (application) fields.application = application;
  for (const k of KEPT) {
    const v = o[k];
    if (typeof v === 'string' || typeof v === 'number') fields[k] = v;
  }
  return {
    time: postgresStampTime(o.timestamp as string),
    severity,
    level,
    cid: applicationCid(application),
    message,
    fields,
    lifecycle: severity === 'PANIC' ? 'crash' : lifecycleOf(message, level, 'postgres'),
  };
}

/** A jsonlog file's line; null when the timestamp cannot be read (the line is then kept as unparsed). */
export function parsePostgresJson(o: Obj, id: string, container: ContainerRef): ContainerEvent | null {
  const pg = readPostgresJson(o);
  if (pg.time === null) return null;
  return {
    source: 'container',
    id,
    time: pg.time,
    cid: pg.cid,
    level: pg.level,
    code: null,
    wok: container.wok,
    org: null,
    message: pg.message,
    fields: pg.fields,
    container,
    stream: 'stderr',
    format: 'postgres',
    lifecycle: pg.lifecycle,
    err: null,
  };
}
