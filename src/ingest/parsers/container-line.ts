/**
 * The text inside a container's log record → ContainerEvent. The functions
 * runtime writes pino NDJSON (with `correlation_id`); the db container writes
 * PostgreSQL's text log; anything else is kept as plain text.
 */
import { pinoLevel, type ContainerEvent, type ContainerRef, type Level } from '../../model/event.js';
import { lifecycleOf } from './lifecycle.js';
import { isObj, num, pinoCid, pinoCode, pinoErr, restFields, str, type Obj } from './pino-fields.js';
import { parsePostgresText } from './postgres-text.js';

const PINO_LIFTED = new Set([
  'level', 'time', 'msg', 'err', 'error', 'code', 'error_code', 'correlation_id', 'correlationId', 'reqId',
  'request_id', 'requestId', 'wok_id', 'wok', 'org', 'v',
]);

const TEXT_ERROR = /\b(?:ERROR|FATAL|PANIC|Error:|Exception|Traceback)\b/;

export interface ContainerLineInput {
  id: string;
  text: string;
  stream: 'stdout' | 'stderr';
  /** The Docker record's own time (epoch ms): the one clock every container line is ordered by. */
  time: number;
  container: ContainerRef;
  fields?: { [k: string]: string | number | boolean };
}

function tryJson(text: string): Obj | null {
  if (text.charCodeAt(0) !== 123 /* { */) return null;
  try {
    const v: unknown = JSON.parse(text);
    return isObj(v) ? v : null;
  } catch {
    return null;
  }
}

export function parseContainerLine(input: ContainerLineInput): ContainerEvent {
  const { id, text, stream, time, container } = input;
  const base = { source: 'container' as const, id, time, container, stream, org: null as string | null };
  const o = tryJson(text);
  if (o && (typeof o.level === 'number' || typeof o.msg === 'string')) {
    const err = pinoErr(o);
    const level = pinoLevel(o.level);
    const message = str(o.msg) ?? err?.message ?? '';
    return {
      ...base,
      cid: pinoCid(o),
      level,
      code: pinoCode(o, err),
      wok: str(o.wok_id) ?? str(o.wok) ?? container.wok,
      org: str(o.org),
      message,
      fields: { ...restFields(o, PINO_LIFTED), ...(num(o.time) !== null ? { logged_time: o.time as number } : {}), ...input.fields },
      format: 'pino',
      lifecycle: lifecycleOf(message, level),
      err,
    };
  }
  const pg = parsePostgresText(text);
  if (pg) {
    return {
      ...base,
      cid: pg.cid,
      level: pg.level,
      code: null,
      wok: container.wok,
      message: pg.message,
      fields: { pid: pg.pid, severity: pg.severity, ...(pg.application ? { application: pg.application } : {}), ...input.fields },
      format: 'postgres',
      lifecycle: lifecycleOf(pg.message, pg.level),
      err: null,
    };
  }
  const level: Level = TEXT_ERROR.test(text.length > 512 ? text.slice(0, 512) : text) ? 'error' : 'info';
  return {
    ...base,
    cid: null,
    level,
    code: null,
    wok: container.wok,
    message: text,
    fields: { ...input.fields },
    format: 'text',
    lifecycle: lifecycleOf(text, level),
    err: null,
  };
}
