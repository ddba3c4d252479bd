/** Reading and checking what callers send: ids, times, limits. Bad input is a 400 in our envelope, never a crash. */
import { canonicalCid } from '../model/event.js';
import { DiagError } from '../errors/diag-error.js';

export function cidParam(raw: unknown): string {
  const cid = canonicalCid(raw);
  if (cid) return cid;
  const shown = typeof raw === 'string' ? JSON.stringify(raw.slice(0, 40)) : 'nothing';
  throw new DiagError('DIAG_INVALID_CORRELATION_ID', `${shown} is not a correlation id (16 hexadecimal characters)`);
}

/** A time given as epoch ms or ISO 8601 (or a relative "15m", "2h", "7d" meaning that long ago). */
export function timeParam(name: string, raw: unknown, now: number): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (typeof raw !== 'string' || raw.length > 40) throw new DiagError('DIAG_INVALID_QUERY', `${name} must be a time`);
  if (/^\d{1,15}$/.test(raw)) return Number(raw);
  const rel = /^(\d{1,6})(s|m|h|d)$/.exec(raw);
  if (rel) return now - Number(rel[1]) * { s: 1e3, m: 6e4, h: 3.6e6, d: 8.64e7 }[rel[2] as 's' | 'm' | 'h' | 'd'];
  const t = Date.parse(raw);
  if (!Number.isFinite(t)) throw new DiagError('DIAG_INVALID_QUERY', `${name}=${JSON.stringify(raw)} is not a time (epoch ms, ISO 8601, or 15m / 2h / 7d ago)`);
  return t;
}

export function intParam(name: string, raw: unknown, min: number, max: number): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (typeof raw !== 'string' || !/^\d{1,9}$/.test(raw)) throw new DiagError('DIAG_INVALID_QUERY', `${name} must be a whole number`);
  const n = Number(raw);
  if (n < min || n > max) throw new DiagError('DIAG_INVALID_QUERY', `${name} must be between ${min} and ${max}`);
  return n;
}

export function stringParam(name: string, raw: unknown, pattern: RegExp): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (typeof raw !== 'string' || raw.length > 128 || !pattern.test(raw)) throw new DiagError('DIAG_INVALID_QUERY', `${name} is malformed`);
  return raw;
}

/** A flag: 1 / true / 0 / false (absent or empty: false). */
export function boolParam(name: string, raw: unknown): boolean {
  if (raw === undefined || raw === '' || raw === '0' || raw === 'false') return false;
  if (raw === '1' || raw === 'true') return true;
  throw new DiagError('DIAG_INVALID_QUERY', `${name} is 1 or 0 (true or false)`);
}

/** `?include=stack,raw`: the details shown only on demand; anything else is refused. */
export function includeParam(raw: unknown): { stack: boolean; raw: boolean } {
  const parts = typeof raw === 'string' && raw !== '' ? raw.split(',') : [];
  const other = parts.find((p) => p !== 'stack' && p !== 'raw');
  if (other !== undefined) throw new DiagError('DIAG_INVALID_QUERY', `include takes stack and raw, not ${JSON.stringify(other.slice(0, 40))}`);
  return { stack: parts.includes('stack'), raw: parts.includes('raw') };
}
