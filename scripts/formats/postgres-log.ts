/**
 * PostgreSQL's text log lines with log_line_prefix = '%m [%p] %q%a ':
 * %m is the time with milliseconds and zone, %p the pid, %q ends the prefix
 * for background processes, %a is application_name (the cp sets it to
 * `cp:<correlation id>` for exec_sql). Severity and message follow, separated
 * by ":  " (two spaces), as elog.c writes them.
 */

export type PgSeverity = 'DEBUG1' | 'LOG' | 'INFO' | 'NOTICE' | 'WARNING' | 'ERROR' | 'FATAL' | 'PANIC' | 'DETAIL' | 'HINT' | 'STATEMENT' | 'CONTEXT';

export interface PgLineInput {
  time: number;
  pid: number;
  severity: PgSeverity;
  message: string;
  /** Omit for background processes (postmaster, checkpointer…): %q stops the prefix before %a. */
  application?: string;
}

export function pgTime(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', ' UTC');
}

export function pgLine(l: PgLineInput): string {
  const head = `${pgTime(l.time)} [${l.pid}] `;
  const app = l.application === undefined ? '' : `${l.application} `;
  return `${head}${app}${l.severity}:  ${l.message}`;
}

/** The lines of a clean start of the db container. */
export function pgStartup(time: number, pid = 1, version = '16.4'): PgLineInput[] {
  return [
    { time, pid, severity: 'LOG', message: `starting PostgreSQL ${version} on x86_64-pc-linux-musl, compiled by gcc (Alpine 13.2.1_git20240309) 13.2.1 20240309, 64-bit` },
    { time: time + 1, pid, severity: 'LOG', message: 'listening on IPv4 address "0.0.0.0", port 5432' },
    { time: time + 2, pid, severity: 'LOG', message: 'listening on Unix socket "/var/run/postgresql/.s.PGSQL.5432"' },
    // PostgreSQL prints this time from pg_control with whole seconds (str_time: "%Y-%m-%d %H:%M:%S %Z").
    { time: time + 9, pid: pid + 28, severity: 'LOG', message: `database system was shut down at ${pgTime(time - 5000).replace(/\.\d{3} /, ' ')}` },
    { time: time + 14, pid, severity: 'LOG', message: 'database system is ready to accept connections' },
  ];
}

/** The lines of a fast shutdown (docker stop / restart). */
export function pgShutdown(time: number, pid = 1): PgLineInput[] {
  return [
    { time, pid, severity: 'LOG', message: 'received fast shutdown request' },
    { time: time + 3, pid, severity: 'LOG', message: 'aborting any active transactions' },
    { time: time + 8, pid, severity: 'LOG', message: 'background worker "logical replication launcher" (PID 35) exited with exit code 1' },
    { time: time + 11, pid: pid + 26, severity: 'LOG', message: 'shutting down' },
    { time: time + 15, pid: pid + 26, severity: 'LOG', message: 'checkpoint starting: shutdown immediate' },
    { time: time + 40, pid, severity: 'LOG', message: 'database system is shut down' },
  ];
}
