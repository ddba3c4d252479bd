/**
 * Redaction again at render, for every route at once: a JSON.stringify
 * replacer that Express applies to every `res.json` body, and a walk over the
 * model every page is rendered from. Stored data is redacted at ingest
 * already; these catch what an older store, a new code path or a rule added
 * since would otherwise let through.
 */
import { redactHeader, redactText } from './redact.js';
import { COUNTER_KEY, REDACTED, SECRET_HEADERS, isSecretKey } from './secret-patterns.js';
import { setOwn } from '../model/own-key.js';

/** Values the console itself puts in pages under secret-looking names (the form token of the signed-in operator). */
const OWN_KEYS: ReadonlySet<string> = new Set(['csrfToken', '_csrf', 'loginCsrf']);

function secretKeyed(key: string): boolean {
  return key !== '' && !OWN_KEYS.has(key) && (isSecretKey(key) || SECRET_HEADERS.has(key.toLowerCase()));
}

function underSecretKey(key: string, value: unknown): unknown {
  if (value === null || value === undefined || typeof value === 'boolean') return value;
  const lower = key.toLowerCase();
  if (SECRET_HEADERS.has(lower) && typeof value === 'string') return redactHeader(lower, value);
  if (typeof value === 'number' && COUNTER_KEY.test(key)) return value;
  return REDACTED;
}

/** For `app.set('json replacer', …)`: every string is scanned, secret-named keys lose their values. */
export function redactingReplacer(key: string, value: unknown): unknown {
  if (secretKeyed(key)) return underSecretKey(key, value);
  return typeof value === 'string' ? redactText(value) : value;
}

function isPlain(v: object): boolean {
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * A copy of a page's model with every string redacted and secret-named keys
 * emptied. Only plain objects and arrays are walked (class instances, dates
 * and functions pass unchanged); depth is bounded.
 */
export function redactViewModel<T>(model: T): T {
  return walk(model, 0) as T;
}

function walk(v: unknown, depth: number): unknown {
  if (typeof v === 'string') return redactText(v);
  if (v === null || typeof v !== 'object') return v;
  if (depth > 40) return v;
  if (Array.isArray(v)) return v.map((x) => walk(x, depth + 1));
  if (!isPlain(v)) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    setOwn(out, k, secretKeyed(k) ? underSecretKey(k, x) : walk(x, depth + 1));
  }
  return out;
}
