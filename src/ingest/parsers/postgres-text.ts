/**
 * PostgreSQL's text log, one line at a time, read with the log_line_prefix the
 * server writes (pg-prefix.ts; by default `'%m [%p] %q%a '`):
 *   2026-11-24 20:22:24.843 UTC [6178] cp:5367500fbf670405 ERROR:  relation "x" does not exist
 *   2026-11-24 20:22:20.001 UTC [1] LOG:  database system is ready to accept connections
 * `%q` drops the rest of the prefix for background processes.
 * The cp sets application_name to `cp:<correlation id>` for each exec_sql call.
 */
import { canonicalCid, type Level } from '../../model/event.js';
import { DEFAULT_PG_PREFIX, type PgLinePrefix } from './pg-prefix.js';

export interface PostgresLine {
  /** From %n, %m or %t; null when the prefix prints no time or its zone is ambiguous or unknown. */
  time: number | null;
  /** %p, or null when the prefix has none. */
  pid: number | null;
  /** The zone as `%m` / `%t` printed it (`UTC`, `+03`, `CET`), or null when it printed none. */
  zone: string | null;
  application: string | null;
  cid: string | null;
  severity: string;
  level: Level;
  message: string;
  /** The prefix's other values, named as jsonlog names them: user, dbname, remote_host, session_id, line_num… */
  fields: { [k: string]: string | number };
}

export function severityLevel(sev: string): Level {
  switch (sev) {
    case 'PANIC':
    case 'FATAL':
      return 'fatal';
    case 'ERROR':
      return 'error';
    case 'WARNING':
      return 'warn';
    case 'LOG':
    case 'INFO':
    case 'NOTICE':
      return 'info';
    case 'DETAIL':
    case 'HINT':
    case 'QUERY':
    case 'CONTEXT':
    case 'LOCATION':
    case 'STATEMENT':
      return 'info';
    default:
      return 'debug';
  }
}

/** The correlation id in an application_name of the form `cp:<16 hex>` (any case), or null. */
export function applicationCid(application: string | null): string | null {
  return application && /^cp:/i.test(application) ? canonicalCid(application.slice(3)) : null;
}

export function parsePostgresText(text: string, prefix: PgLinePrefix = DEFAULT_PG_PREFIX): PostgresLine | null {
  const m = prefix.match(text);
  if (!m) return null;
  const { time, pid, zone, application, fields } = m.values;
  return {
    time,
    pid,
    zone,
    application,
    cid: applicationCid(application),
    severity: m.severity,
    level: severityLevel(m.severity),
    message: text.slice(m.end),
    fields,
  };
}
