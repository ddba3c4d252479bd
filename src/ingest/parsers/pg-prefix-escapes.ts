/**
 * The escapes of log_line_prefix (PostgreSQL 15, elog.c's log_line_prefix()),
 * each with the text it prints and where its value goes. Values are named as
 * PostgreSQL's jsonlog names them (user, dbname, remote_host…), so a text
 * line and a jsonlog line of the same event carry the same fields.
 *
 * A value either has a fixed form (a number, a time, a session id: `pattern`)
 * or is free text (`max` characters at most: names, the command tag, the
 * backend type), which ends where the prefix's next literal character appears.
 */
import { epochStampTime, pgStampTime, STAMP_PATTERN } from './pg-time.js';

/** What a prefix printed, read into typed values. */
export interface PrefixValues {
  /** The line's time: from %n, else %m, else %t (null when none was printed or its zone is unknown). */
  time: number | null;
  /** The zone %m or %t printed (`UTC`, `+03`, `CET`), or null. */
  zone: string | null;
  pid: number | null;
  application: string | null;
  /** The other values, by jsonlog's names. */
  fields: { [k: string]: string | number };
}

export interface Escape {
  /** What the value is, for messages. */
  what: string;
  /** Regular expression source of a fixed-form value (no capturing groups); absent for free text. */
  pattern?: string;
  /** Longest free-text value, in characters. */
  max?: number;
  /** Stores the value (trimmed, never empty) into `into`. */
  read(v: string, into: PrefixValues, rank: { time: number }): void;
}

/** Which time wins when a prefix prints several: %n (exact) over %m (milliseconds) over %t (seconds). */
function stamp(rank: number, v: string, into: PrefixValues, seen: { time: number }): void {
  if (rank < seen.time) return;
  seen.time = rank;
  if (rank === 3) {
    into.time = epochStampTime(v);
    return;
  }
  const space = v.lastIndexOf(' ');
  into.zone = space > 10 ? v.slice(space + 1) : null;
  into.time = pgStampTime(v);
}

/** `[unknown]` is what PostgreSQL prints for a session's user, database or application before it is known. */
const UNKNOWN = '[unknown]';

function name(field: string): Escape['read'] {
  return (v, into) => {
    if (v !== UNKNOWN) into.fields[field] = v;
  };
}

function whole(field: string): Escape['read'] {
  return (v, into) => {
    into.fields[field] = Number(v);
  };
}

function text(field: string): Escape['read'] {
  return (v, into) => {
    into.fields[field] = v;
  };
}

export const ESCAPES: Readonly<Record<string, Escape>> = {
  a: {
    what: 'application name',
    max: 64,
    read: (v, into) => {
      if (v !== UNKNOWN) into.application = v;
    },
  },
  u: { what: 'user name', max: 64, read: name('user') },
  d: { what: 'database name', max: 64, read: name('dbname') },
  r: {
    what: 'remote host and port',
    max: 270,
    read: (v, into) => {
      const m = /^(.*)\((\d{1,5})\)$/.exec(v);
      into.fields.remote_host = m ? m[1]! : v;
      if (m) into.fields.remote_port = Number(m[2]);
    },
  },
  h: { what: 'remote host', max: 256, read: text('remote_host') },
  b: { what: 'backend type', max: 96, read: text('backend_type') },
  p: {
    what: 'process id',
    pattern: '\\d{1,10}',
    read: (v, into) => {
      into.pid = Number(v);
    },
  },
  P: { what: 'parallel group leader pid', pattern: '\\d{0,10}', read: whole('leader_pid') },
  t: { what: 'time stamp', pattern: STAMP_PATTERN, read: (v, into, seen) => stamp(1, v, into, seen) },
  m: { what: 'time stamp with milliseconds', pattern: STAMP_PATTERN, read: (v, into, seen) => stamp(2, v, into, seen) },
  n: { what: 'time stamp as a Unix epoch', pattern: '\\d{1,12}\\.\\d{3}', read: (v, into, seen) => stamp(3, v, into, seen) },
  i: { what: 'command tag', max: 128, read: text('ps') },
  e: { what: 'SQLSTATE', pattern: '[0-9A-Z]{5}', read: text('state_code') },
  c: { what: 'session id', pattern: '[0-9a-f]{1,16}\\.[0-9a-f]{1,8}', read: text('session_id') },
  l: { what: 'log line number', pattern: '\\d{1,19}', read: whole('line_num') },
  s: { what: 'process start time', pattern: STAMP_PATTERN, read: text('session_start') },
  v: { what: 'virtual transaction id', pattern: '(?:-?\\d{1,10}/\\d{1,10})?', read: text('vxid') },
  x: { what: 'transaction id', pattern: '\\d{1,10}', read: whole('txid') },
  Q: { what: 'query id', pattern: '-?\\d{1,20}', read: text('query_id') },
};

/** Every escape, as the error for an unknown one lists them. */
export const KNOWN_ESCAPES = '%a %u %d %r %h %b %p %P %t %m %n %i %e %c %l %s %v %x %q %Q %%';
