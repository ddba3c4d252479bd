/**
 * The one typed model every stage passes along: sources → parsers → store → queries.
 * `source` tags the union; each variant carries only what its source knows.
 */

export type Source = 'cp' | 'container' | 'audit';
export const SOURCES: readonly Source[] = ['cp', 'container', 'audit'];

export type Level = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';
export const LEVELS: readonly Level[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];

/** A JSON value after redaction: what `fields` may hold. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type Fields = { [key: string]: Json };

export interface ContainerRef {
  id: string;
  name: string | null;
  wok: string | null;
  role: string | null;
  image: string | null;
}

/** A container's life as its own log tells it. */
export type Lifecycle = 'start' | 'ready' | 'stopping' | 'shutdown' | 'crash' | 'recovery';

export interface HttpInfo {
  /** '' when the completion line did not log the request (pino-http's quietResLogger). */
  method: string;
  /** '' when not logged, as `method`. */
  path: string;
  status: number;
  durationMs: number | null;
  /** The caller's key as logged, reduced to its prefix (`skl_1a2b3c4d`), if any. */
  keyPrefix: string | null;
  user: string | null;
  remoteAddress: string | null;
}

export interface ErrInfo {
  type: string | null;
  message: string | null;
  code: string | null;
  hint: string | null;
  status: number | null;
  stack: string | null;
}

interface EventCommon {
  /** Deterministic: the stream's identity and the byte offset of the line in it. */
  id: string;
  /** Epoch milliseconds. */
  time: number;
  /** The request's correlation id: 16 lower-case hex, or null. */
  cid: string | null;
  level: Level;
  /** A platform error code (`CP_…`) the line names, or null. */
  code: string | null;
  wok: string | null;
  org: string | null;
  message: string;
  /** The rest of the line, structured and redacted; noise (repeated headers) dropped. */
  fields: Fields;
}

export interface CpEvent extends EventCommon {
  source: 'cp';
  /** Set on the line pino-http writes when a request ends. */
  http: HttpInfo | null;
  err: ErrInfo | null;
}

export interface ContainerEvent extends EventCommon {
  source: 'container';
  container: ContainerRef;
  stream: 'stdout' | 'stderr';
  format: 'pino' | 'postgres' | 'text';
  lifecycle: Lifecycle | null;
  err: ErrInfo | null;
}

export interface AuditEvent extends EventCommon {
  source: 'audit';
  actor: string | null;
  action: string;
  outcome: string | null;
  ip: string | null;
}

export type Event = CpEvent | ContainerEvent | AuditEvent;

/** A line that parsed as none of the formats: kept, counted and shown, never dropped. */
export interface Unparsed {
  stream: string;
  path: string | null;
  offset: number;
  line: number;
  reason: string;
  /** The first bytes of the line, redacted. */
  head: string;
  time: number;
}

/**
 * A well-formed correlation id (16 hex digits) in canonical (lower-case)
 * form, or null. Read char by char: it runs several times on every line.
 */
export function canonicalCid(value: unknown): string | null {
  if (typeof value !== 'string' || value.length !== 16) return null;
  let upper = false;
  for (let i = 0; i < 16; i++) {
    const c = value.charCodeAt(i);
    if ((c >= 48 && c <= 57) || (c >= 97 && c <= 102)) continue;
    if (c >= 65 && c <= 70) upper = true;
    else return null;
  }
  return upper ? value.toLowerCase() : value;
}

export function pinoLevel(n: unknown): Level {
  if (typeof n === 'string' && (LEVELS as readonly string[]).includes(n)) return n as Level;
  if (typeof n !== 'number') return 'info';
  if (n >= 60) return 'fatal';
  if (n >= 50) return 'error';
  if (n >= 40) return 'warn';
  if (n >= 30) return 'info';
  if (n >= 20) return 'debug';
  return 'trace';
}

export function levelRank(level: Level): number {
  return LEVELS.indexOf(level);
}
