/**
 * What a secret becomes: a platform key its stub, anything else
 * `[REDACTED]`; and the test that tells a value an earlier pass already
 * reduced, so redacting twice changes nothing more.
 */
import { REDACTED } from './secret-patterns.js';
import { REDACTED_SHAPE } from './token-shapes.js';

/**
 * A platform key cut to what identifies it: `skl_` + its first 8 characters and
 * a mark (`skl_1a2b3c4d…`, the prefix the inventory knows it by). A body of 8
 * characters or fewer is already no more than that and stays as it is; console
 * tokens (`sdo_`) keep nothing.
 */
export function keyStub(kind: string, body: string, mark = ''): string {
  if (kind === 'sdo') return 'sdo_…';
  if (body.length > 8) return `${kind}_${body.slice(0, 8)}…`;
  // A console token in a short body is cut as the scan cuts it on its own (`skl_sdo_skl_` → `skl_sdo_…`), so a
  // second pass that no longer sees the name before the value finds nothing more to do.
  const token = SDO_IN_BODY.exec(body);
  return token ? `${kind}_${body.slice(0, token.index)}sdo_…` : `${kind}_${body}${mark}`;
}

const SDO_IN_BODY = /sdo_[A-Za-z0-9_-]/;

/** The value of an `Authorization`-like credential, reduced to its key stub or removed. */
export function credentialStub(cred: string): string {
  // Key characters end the key; what follows (a full stop, a bracket) is prose and stays.
  const m = /^(skl|sllm|sdo)_([A-Za-z0-9_-]*)(…?)([^A-Za-z0-9_-][\s\S]*)?$/.exec(cred);
  return m ? keyStub(m[1]!, m[2]!, m[3]!) + (m[4] ?? '') : REDACTED;
}

/** In free text, "Bearer" followed by a word is prose; a credential has a digit or symbol, or length. */
export function looksLikeCredential(cred: string): boolean {
  return cred.length >= 16 || (cred.length >= 4 && /[0-9_.=+/-]/.test(cred));
}

/** A named secret's value: a platform key and nothing more keeps the key's stub; any other value goes whole. */
export function valueStub(value: string): string {
  const m = /^(skl|sllm|sdo)_([A-Za-z0-9_-]*)$/.exec(value);
  return m ? keyStub(m[1]!, m[2]!) : REDACTED;
}

/** `text` at `p` starts with a value an earlier pass left: `[REDACTED]`, a shape's `ghp_[REDACTED]`, a key stub. */
export function redactedAt(text: string, p: number): boolean {
  if (text.startsWith(REDACTED, p)) return true;
  const head = text.slice(p, p + 24);
  return REDACTED_SHAPE.test(head) || /^(?:skl|sllm)_[A-Za-z0-9_-]{0,8}…|^sdo_…/.test(head);
}

/** A whole value an earlier pass already reduced (quotes and an auth scheme around it allowed). */
export function isRedacted(value: string): boolean {
  const v = value.replace(/^["']|["']$/g, '').replace(/^(?:Bearer|Basic)[ \t]+/i, '');
  return v === REDACTED || REDACTED_SHAPE.test(v) || /^(?:skl|sllm)_[A-Za-z0-9_-]{0,8}…?$|^sdo_…$/.test(v);
}
