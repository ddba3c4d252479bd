/**
 * Which of pg's errors mean "the server is not there right now" — refused,
 * reset, cut off mid-query, shutting down, starting up, in recovery, a
 * standby that takes no writes during a failover — as opposed to errors a
 * wait does not fix (permissions, a missing database, a schema of another
 * version, corrupt data). The first kind is a StoreError with the reason
 * 'unavailable' (store-outage.ts: ingest pauses and tries again); the second
 * keeps its own reason.
 */

/** Socket-level failures: the server is down, restarting, or the network between us is. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'EHOSTDOWN', 'ENETUNREACH', 'ENETDOWN', 'EAI_AGAIN', 'ENOTFOUND']);

/**
 * SQLSTATEs of a server going away or not ready: class 08 (connection exception),
 * 57P01 admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now (starting
 * up, in recovery), 57P05 idle session timeout, 25006 read_only_sql_transaction
 * (a standby, or a primary demoted in a failover), 53300 too_many_connections.
 */
const SERVER_CODES = new Set(['57P01', '57P02', '57P03', '57P05', '25006', '53300']);

/** pg's own messages for a connection that died or never came (these carry no code). */
const CLIENT_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|connection timeout|Client has encountered a connection error and is not queryable|Connection closed|read ECONNRESET/i;

export interface PgOutage {
  /** 'unreachable': no connection (refused, reset, cut off); 'not-ready': the server answered that it cannot serve now. */
  kind: 'unreachable' | 'not-ready';
  /** The code or the message that told (for the log). */
  what: string;
}

/** Whether `e` (as pg threw it) says the server cannot be used right now, and how it said so; null for any other error. */
export function pgOutage(e: Error): PgOutage | null {
  const code = (e as { code?: unknown }).code;
  const c = typeof code === 'string' ? code : '';
  if (SOCKET_CODES.has(c)) return { kind: 'unreachable', what: c };
  if (c.startsWith('08') || SERVER_CODES.has(c)) return { kind: 'not-ready', what: `${c}: ${e.message}` };
  if (!c && CLIENT_MESSAGES.test(e.message)) return { kind: 'unreachable', what: e.message };
  // An AggregateError (one per address tried: ::1 and 127.0.0.1) carries the code of its parts.
  if (e instanceof AggregateError) {
    for (const part of e.errors as unknown[]) {
      const o = part instanceof Error ? pgOutage(part) : null;
      if (o) return o;
    }
  }
  return null;
}
