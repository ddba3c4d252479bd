/**
 * Redaction of text and JSON values by the rules of secret-patterns.ts. Every
 * function here is idempotent (redacting twice changes nothing more), so the
 * same rules run at ingest, again at render, and in our own logs.
 */
import type { Json } from '../model/event.js';
import { setOwn } from '../model/own-key.js';
import {
  AUTH_SCHEME,
  AWS_ACCESS_KEY,
  COOKIE_LINE,
  COUNTER_KEY,
  JWT,
  KEY_TOKEN,
  MAY_HOLD_SECRET,
  PEM_PRIVATE_KEY,
  REDACTED,
  SECRET_ASSIGNMENT,
  SECRET_HEADERS,
  SECRET_QUERY,
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

/** The configured extra patterns' sources, to hand to other threads. */
export function extraPatternSources(): string[] {
  return extra.map((r) => r.source);
}

/**
 * A platform key cut to what identifies it: `skl_` + its first 8 characters and
 * a mark (`skl_1a2b3c4d…`, the prefix the inventory knows it by). A body of 8
 * characters or fewer is already no more than that and stays as it is; console
 * tokens (`sdo_`) keep nothing.
 */
export function keyStub(kind: string, body: string, mark = ''): string {
  if (kind === 'sdo') return 'sdo_…';
  return body.length > 8 ? `${kind}_${body.slice(0, 8)}…` : `${kind}_${body}${mark}`;
}

/** The value of an `Authorization`-like credential, reduced to its key stub or removed. */
export function credentialStub(cred: string): string {
  // Key characters end the key; what follows (a full stop, a bracket) is prose and stays.
  const m = /^(skl|sllm|sdo)_([A-Za-z0-9_-]*)(…?)([^A-Za-z0-9_-][\s\S]*)?$/.exec(cred);
  return m ? keyStub(m[1]!, m[2]!, m[3]!) + (m[4] ?? '') : REDACTED;
}

/** In free text, "Bearer" followed by a word is prose ("the Bearer doesn't match"); a credential has a digit or symbol, or length. */
function looksLikeCredential(cred: string): boolean {
  return cred.length >= 16 || (cred.length >= 4 && /[0-9_.=+/-]/.test(cred)) || /^(?:skl|sllm|sdo)_/.test(cred);
}

export function redactText(text: string): string {
  if (text.length > MAX_REDACT_TEXT) text = text.slice(0, MAX_REDACT_TEXT) + '…[truncated]';
  if (!MAY_HOLD_SECRET.test(text) && extra.length === 0) return text;
  let out = text
    .replace(PEM_PRIVATE_KEY, (_m, head: string) => `${head}${REDACTED}`)
    .replace(URL_USERINFO, (_m, head: string) => `${head}:${REDACTED}@`)
    .replace(AUTH_SCHEME, (m, bearer: string | undefined, cred: string | undefined, basic: string | undefined) => {
      if (!bearer) return `${basic} ${REDACTED}`;
      return looksLikeCredential(cred!) ? `${bearer} ${credentialStub(cred!)}` : m;
    })
    .replace(KEY_TOKEN, (_m, kind: string, body: string, mark: string) => keyStub(kind, body, mark))
    .replace(JWT, REDACTED)
    .replace(AWS_ACCESS_KEY, REDACTED)
    .replace(SECRET_ASSIGNMENT, (m, key: string, sep: string, value: string) => {
      if (COUNTER_KEY.test(key) || isRedacted(value) || /^(?:Bearer|Basic)$/i.test(value)) return m;
      return `${key}${sep}${value.startsWith('"') ? `"${REDACTED}"` : REDACTED}`;
    })
    .replace(COOKIE_LINE, (m, key: string, sep: string, value: string) =>
      isRedacted(value) ? m : `${key}${sep}${value.startsWith('"') ? `"${REDACTED}"` : REDACTED}`,
    )
    .replace(SECRET_QUERY, (_m, head: string) => `${head}${REDACTED}`)
    .replace(SQL_PASSWORD, (_m, kw: string) => `${kw} ${REDACTED}`);
  for (const re of extra) out = out.replace(re, REDACTED);
  return out;
}

/** A value an earlier rule already reduced: `[REDACTED]`, or a key stub (`skl_1a2b3c4d…`, `Bearer sdo_…`). */
function isRedacted(value: string): boolean {
  const v = value.replace(/^["']|["']$/g, '').replace(/^(?:Bearer|Basic) /, '');
  return v === REDACTED || /^(?:skl|sllm)_[A-Za-z0-9_-]{0,8}…?$|^sdo_…$/.test(v);
}

/** A header value, given its name: credentials go (keeping a platform key's stub), the rest is treated as text. */
export function redactHeader(name: string, value: Json): Json {
  const lower = name.toLowerCase();
  if (lower === 'authorization' || lower === 'proxy-authorization') {
    if (typeof value !== 'string') return REDACTED;
    const m = /^\s*(\S+)\s+(\S+)/.exec(value);
    return m ? `${m[1]} ${credentialStub(m[2]!)}` : credentialStub(value.trim());
  }
  if (SECRET_HEADERS.has(lower) || isSecretKey(lower)) return value === null ? null : REDACTED;
  return redactJson(value);
}

/** The value under a secret-named key: gone, unless it says nothing (null, a flag). */
function secretValue(v: Json): Json {
  return v === null || typeof v === 'boolean' ? v : REDACTED;
}

/** Any JSON value, at any depth: secret-named keys lose their values, all text is scanned. */
export function redactJson(value: Json, depth = 0): Json {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth > 32) return REDACTED;
  if (Array.isArray(value)) return value.map((v) => redactJson(v, depth + 1));
  const out: { [k: string]: Json } = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === 'headers' && v && typeof v === 'object' && !Array.isArray(v)) {
      const h: { [k: string]: Json } = {};
      for (const [hn, hv] of Object.entries(v)) setOwn(h, hn, redactHeader(hn, hv));
      setOwn(out, k, h);
    } else if (SECRET_HEADERS.has(k.toLowerCase())) {
      setOwn(out, k, redactHeader(k, v));
    } else if (isSecretKey(k)) {
      setOwn(out, k, secretValue(v));
    } else {
      setOwn(out, k, redactJson(v, depth + 1));
    }
  }
  return out;
}

/** A quick test on raw text: false means nothing in it can need redaction. */
export function mayHoldSecret(raw: string): boolean {
  return extra.length > 0 || MAY_HOLD_SECRET.test(raw);
}
