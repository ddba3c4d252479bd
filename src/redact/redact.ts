import type { Json } from '../model/event.js';
import {
  AUTH_SCHEME,
  COUNTER_KEY,
  KEY_TOKEN,
  MAY_HOLD_SECRET,
  REDACTED,
  SECRET_ASSIGNMENT,
  SECRET_HEADERS,
  SQL_PASSWORD,
  URL_USERINFO,
  isSecretKey,
} from './secret-patterns.js';

/** Text longer than this is cut before any pattern runs on it. */
export const MAX_REDACT_TEXT = 64 * 1024;

let extra: RegExp[] = [];

/** Adds configured patterns (already compiled) to every later redaction. */
export function setExtraPatterns(patterns: RegExp[]): void {
  extra = patterns;
}

/**
 * A platform key cut to what identifies it: `skl_` + its first 8 characters and
 * a mark. A key of 8 characters or fewer keeps none of them, since those would
 * be the whole key.
 */
export function keyStub(kind: string, body: string): string {
  if (kind === 'sdo') return 'sdo_…';
  return body.length > 8 ? `${kind}_${body.slice(0, 8)}…` : `${kind}_…`;
}

export function redactText(text: string): string {
  if (text.length > MAX_REDACT_TEXT) text = text.slice(0, MAX_REDACT_TEXT) + '…[truncated]';
  if (!MAY_HOLD_SECRET.test(text) && extra.length === 0) return text;
  let out = text
    .replace(URL_USERINFO, (_m, head: string) => `${head}:${REDACTED}@`)
    .replace(AUTH_SCHEME, (_m, scheme: string, cred: string) => `${scheme} ${credentialStub(cred)}`)
    .replace(KEY_TOKEN, (_m, kind: string, body: string) => keyStub(kind, body))
    .replace(SECRET_ASSIGNMENT, (m, key: string, sep: string, value: string) =>
      COUNTER_KEY.test(key) || /^\d+$/.test(value) ? m : `${key}${sep}${REDACTED}`,
    )
    .replace(SQL_PASSWORD, (_m, kw: string) => `${kw} ${REDACTED}`);
  for (const re of extra) out = out.replace(re, REDACTED);
  return out;
}

/** The value of an `Authorization`-like credential, reduced to its key stub or removed. */
export function credentialStub(cred: string): string {
  const m = /^(skl|sllm|sdo)_([A-Za-z0-9_-]+)/.exec(cred);
  return m ? keyStub(m[1]!, m[2]!) : REDACTED;
}

/** A header value, given its name: credentials go, the rest is treated as text. */
export function redactHeader(name: string, value: Json): Json {
  const lower = name.toLowerCase();
  if (lower === 'authorization' || lower === 'proxy-authorization') {
    if (typeof value !== 'string') return REDACTED;
    const m = /^\s*(\S+)\s+(\S+)/.exec(value);
    return m ? `${m[1]} ${credentialStub(m[2]!)}` : credentialStub(value.trim());
  }
  if (SECRET_HEADERS.has(lower)) return REDACTED;
  return redactJson(value);
}

/** Any JSON value, at any depth: secret-named keys lose their string values, all text is scanned. */
export function redactJson(value: Json, depth = 0): Json {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth > 32) return REDACTED;
  if (Array.isArray(value)) return value.map((v) => redactJson(v, depth + 1));
  const out: { [k: string]: Json } = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === 'headers' && v && typeof v === 'object' && !Array.isArray(v)) {
      const h: { [k: string]: Json } = {};
      for (const [hn, hv] of Object.entries(v)) h[hn] = redactHeader(hn, hv);
      out[k] = h;
    } else if (SECRET_HEADERS.has(k.toLowerCase())) {
      out[k] = redactHeader(k, v);
    } else if (isSecretKey(k) && (typeof v === 'string' || (v !== null && typeof v === 'object'))) {
      out[k] = REDACTED;
    } else {
      out[k] = redactJson(v, depth + 1);
    }
  }
  return out;
}

/** A quick test on raw text: false means nothing in it can need redaction. */
export function mayHoldSecret(raw: string): boolean {
  return extra.length > 0 || MAY_HOLD_SECRET.test(raw);
}
