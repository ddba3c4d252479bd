/**
 * PostgreSQL's text log with `log_line_prefix = '%m [%p] %q%a '`:
 *   2026-11-24 20:22:24.843 UTC [6178] cp:5367500fbf670405 ERROR:  relation "x" does not exist
 *   2026-11-24 20:22:20.001 UTC [1] LOG:  database system is ready to accept connections
 * `%q` drops the application name for background processes, so it is optional.
 * The cp sets application_name to `cp:<correlation id>` for each exec_sql call.
 */
import { canonicalCid, type Level } from '../../model/event.js';

export interface PostgresLine {
  time: number | null;
  pid: number;
  application: string | null;
  cid: string | null;
  severity: string;
  level: Level;
  message: string;
}

const SEVERITIES = 'DEBUG[1-5]|DEBUG|INFO|NOTICE|WARNING|ERROR|LOG|FATAL|PANIC|DETAIL|HINT|QUERY|CONTEXT|LOCATION|STATEMENT';
const LINE = new RegExp(
  `^(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d(?:\\.\\d{1,6})?)(?: ([A-Za-z]{1,6}|[+-]\\d\\d(?::?\\d\\d)?))? \\[(\\d{1,10})\\] (?:(\\S{0,64}) )?(${SEVERITIES}):  ?`,
);

/** Only these zone names are safe to read as UTC; any other keeps the container's time. */
const UTC_ZONES = new Set(['UTC', 'GMT', 'Z']);

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

function zoneTime(stamp: string, zone: string | undefined): number | null {
  if (zone === undefined || UTC_ZONES.has(zone)) return Date.parse(stamp.replace(' ', 'T') + 'Z');
  const off = /^([+-])(\d\d):?(\d\d)?$/.exec(zone);
  if (!off) return null;
  return Date.parse(`${stamp.replace(' ', 'T')}${off[1]}${off[2]}:${off[3] ?? '00'}`);
}

export function parsePostgresText(text: string): PostgresLine | null {
  const m = LINE.exec(text.length > 512 ? text.slice(0, 512) : text);
  if (!m) return null;
  const application = m[4] ? m[4] : null;
  const cid = application?.startsWith('cp:') ? canonicalCid(application.slice(3)) : null;
  const time = zoneTime(m[1]!, m[2]);
  return {
    time: time !== null && Number.isFinite(time) ? time : null,
    pid: Number(m[3]),
    application,
    cid,
    severity: m[5]!,
    level: severityLevel(m[5]!),
    message: text.slice(m[0].length),
  };
}
