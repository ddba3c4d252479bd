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
  /** The zone as `%m` printed it (`UTC`, `+03`, `CET`), or null when it printed none. */
  zone: string | null;
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

/**
 * Zone abbreviations `%m` prints (log_timezone) that mean one offset only, in
 * minutes east of UTC. Ambiguous ones (IST, CST, BST…) are left out: such a
 * line still parses, with no time of its own (a container line keeps Docker's).
 */
const ZONES: ReadonlyMap<string, number> = new Map([
  ['UTC', 0], ['UCT', 0], ['GMT', 0], ['Z', 0], ['WET', 0], ['WEST', 60],
  ['CET', 60], ['CEST', 120], ['MET', 60], ['MEST', 120], ['EET', 120], ['EEST', 180], ['MSK', 180],
  ['EST', -300], ['EDT', -240], ['MST', -420], ['MDT', -360], ['PST', -480], ['PDT', -420],
  ['AKST', -540], ['AKDT', -480], ['HST', -600], ['NST', -210], ['NDT', -150],
  ['JST', 540], ['KST', 540], ['HKT', 480], ['SGT', 480], ['AWST', 480], ['ACST', 570], ['ACDT', 630],
  ['AEST', 600], ['AEDT', 660], ['NZST', 720], ['NZDT', 780], ['SAST', 120], ['WIB', 420], ['PKT', 300],
]);

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
  const utc = Date.parse(stamp.replace(' ', 'T') + 'Z');
  if (zone === undefined) return utc;
  const named = ZONES.get(zone);
  if (named !== undefined) return utc - named * 60_000;
  const off = /^([+-])(\d\d):?(\d\d)?$/.exec(zone);
  if (!off) return null;
  return utc - (off[1] === '-' ? -1 : 1) * (Number(off[2]) * 60 + Number(off[3] ?? 0)) * 60_000;
}

export function parsePostgresText(text: string): PostgresLine | null {
  const m = LINE.exec(text.length > 512 ? text.slice(0, 512) : text);
  if (!m) return null;
  const application = m[4] ? m[4] : null;
  const cid = application && /^cp:/i.test(application) ? canonicalCid(application.slice(3)) : null;
  const time = zoneTime(m[1]!, m[2]);
  return {
    time: time !== null && Number.isFinite(time) ? time : null,
    pid: Number(m[3]),
    zone: m[2] ?? null,
    application,
    cid,
    severity: m[5]!,
    level: severityLevel(m[5]!),
    message: text.slice(m[0].length),
  };
}
