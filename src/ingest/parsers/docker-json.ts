/**
 * One record of Docker's json-file log driver:
 *   {"log":"text\n","stream":"stdout","time":"2026-11-24T20:22:24.843512345Z","attrs":{…}}
 * A record whose `log` lacks the trailing newline is a part of a longer line
 * (Docker splits at 16 KiB); docker-assembler.ts joins the parts.
 */
import { isObj, type Obj } from './pino-fields.js';
import { setOwn } from '../../model/own-key.js';

export interface DockerRecord {
  log: string;
  stream: 'stdout' | 'stderr';
  /** Epoch ms. */
  time: number;
  attrs: Record<string, string> | null;
  /** True when the record ends its line (its `log` ends with a newline). */
  final: boolean;
}

export function isDockerRecord(o: Obj): boolean {
  return typeof o.log === 'string' && typeof o.stream === 'string' && typeof o.time === 'string';
}

/** RFC 3339 with up to nanoseconds → epoch ms (Date.parse keeps only ms, and rejects >3 fraction digits on some engines). */
export function rfc3339ToMs(s: string): number {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(s);
  if (!m) return Date.parse(s);
  const ms = m[2] ? Number((m[2] + '00').slice(0, 3)) : 0;
  return Date.parse(`${m[1]}${m[3]}`) + ms;
}

export function parseDockerRecord(o: Obj): DockerRecord | null {
  if (!isDockerRecord(o)) return null;
  const time = rfc3339ToMs(o.time as string);
  if (!Number.isFinite(time)) return null;
  const stream = o.stream === 'stderr' ? 'stderr' : 'stdout';
  let attrs: Record<string, string> | null = null;
  if (isObj(o.attrs)) {
    attrs = {};
    for (const [k, v] of Object.entries(o.attrs)) if (typeof v === 'string') setOwn(attrs, k, v);
  }
  const log = o.log as string;
  const final = log.endsWith('\n');
  return { log: final ? log.slice(0, log.endsWith('\r\n') ? -2 : -1) : log, stream, time, attrs, final };
}
