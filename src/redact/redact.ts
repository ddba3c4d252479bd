/**
 * Redaction of text and JSON values by the rules of secret-patterns.ts and
 * the scanners beside it. Every function here is idempotent (redacting twice
 * changes nothing more), so the same rules run at ingest, again at render,
 * and in our own logs.
 */
import type { Json } from '../model/event.js';
import { setOwn } from '../model/own-key.js';
import { scanAuthSchemes } from './auth-scheme.js';
import { scanNamedSecrets } from './named-secrets.js';
import { views } from './normalised-view.js';
import { scanPatterns } from './pattern-rules.js';
import { MAY_HOLD_SECRET, REDACTED, SECRET_HEADERS, isCounterName, isSecretKey } from './secret-patterns.js';
import { Spans } from './spans.js';
import { credentialStub } from './stubs.js';
import { scanTokens } from './token-scan.js';

export { credentialStub, keyStub } from './stubs.js';

/** Text longer than this is cut before any pattern runs on it. */
export const MAX_REDACT_TEXT = 64 * 1024;

let extra: RegExp[] = [];

/** Adds configured patterns (already compiled) to every later redaction. */
export function setExtraPatterns(patterns: RegExp[]): void {
  extra = patterns;
}

/** The configured extra patterns, compiled: what a thread started from here applies (typed-worker.ts). */
export function extraPatterns(): readonly RegExp[] {
  return extra;
}

/**
 * Every rule reads the text and each decoded view of it (percent and JSON
 * escapes undone, normalised-view.ts) and names spans of the original; the
 * spans are merged and the original rebuilt once. Each rule is one forward
 * scan, so the whole costs a few linear passes over at most 64 KiB.
 */
export function redactText(text: string): string {
  if (text.length > MAX_REDACT_TEXT) text = text.slice(0, MAX_REDACT_TEXT) + '…[truncated]';
  return mayHoldSecret(text) ? applyRules(text) : text;
}

/** Every rule on the text, whatever the pre-check says (redactText skips the lines it clears). */
export function applyRules(text: string): string {
  const spans = new Spans();
  for (const view of views(text)) {
    scanTokens(view, spans);
    scanAuthSchemes(view, spans);
    scanNamedSecrets(view, spans);
    scanPatterns(view, spans, extra);
  }
  return spans.apply(text);
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
  if (Array.isArray(value)) return redactArray(value, depth);
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

/** `--password`, `--api-key`, `-token`: a command-line flag naming a secret, its value the next argument. */
function isSecretFlag(v: Json): boolean {
  return typeof v === 'string' && /^--?[A-Za-z][A-Za-z0-9_-]{0,63}$/.test(v) && isSecretKey(v.replace(/^-+/, '')) && !isCounterName(v);
}

/** An array, element by element; in an argv (`["node", "x.js", "--password", "hunter2"]`) the element after a secret flag goes. */
function redactArray(value: Json[], depth: number): Json[] {
  return value.map((v, i) => (i > 0 && isSecretFlag(value[i - 1]!) && v !== null && typeof v !== 'boolean' && !isSecretFlag(v) ? REDACTED : redactJson(v, depth + 1)));
}

/** A quick test on raw text: false means nothing in it can need redaction. */
export function mayHoldSecret(raw: string): boolean {
  return extra.length > 0 || MAY_HOLD_SECRET.test(raw);
}
