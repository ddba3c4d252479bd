/** The audit log's NDJSON lines → AuditEvent. */
import { canonicalCid, type AuditEvent } from '../../model/event.js';
import { platformCode, restFields, str, type Obj } from './pino-fields.js';

const LIFTED = new Set(['time', 'actor', 'org', 'action', 'outcome', 'correlation_id', 'ip', 'wok_id', 'code']);
const FAILED = /^(?:fail(?:ed|ure)?|error|denied|rejected)$/i;

export function isAuditRecord(o: Obj): boolean {
  return typeof o.action === 'string' && typeof o.time === 'string' && ('actor' in o || 'outcome' in o);
}

/** Parses an audit record; null when its `time` is not a date (the line is then kept as unparsed). */
export function parseAuditRecord(o: Obj, id: string): AuditEvent | null {
  const time = Date.parse(o.time as string);
  if (!Number.isFinite(time)) return null;
  const outcome = str(o.outcome);
  const actor = str(o.actor);
  const action = o.action as string;
  return {
    source: 'audit',
    id,
    time,
    cid: canonicalCid(o.correlation_id),
    level: outcome && FAILED.test(outcome) ? 'warn' : 'info',
    code: platformCode(o.code),
    wok: str(o.wok_id),
    org: str(o.org),
    message: `${actor ?? 'someone'} ${action}${outcome ? ` → ${outcome}` : ''}`,
    fields: restFields(o, LIFTED),
    actor,
    action,
    outcome,
    ip: str(o.ip),
  };
}
