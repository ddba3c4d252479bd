/**
 * What counts as a secret, in one place. Redaction at ingest, at render and in
 * our own request logs all read these rules.
 */

export const REDACTED = '[REDACTED]';

/** Header names whose values are credentials. */
export const SECRET_HEADERS: ReadonlySet<string> = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
  'x-auth-token',
  'x-csrf-token',
]);

/** Object keys, at any depth, whose string values are credentials. */
export const SECRET_KEY = /pass(?:word|wd|phrase)?$|^pwd$|secret|token|api[-_]?key|credential|private[-_]?key|authorization|cookie|session[-_]?id|^dsn$|signature/i;

/** Keys that look secret by name but carry counters (LLM usage and the like). */
export const COUNTER_KEY = /^(?:max_|total_|prompt_|completion_)?tokens?(?:_used|_count)?$/i;

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key) && !COUNTER_KEY.test(key);
}

/**
 * A cheap test on a whole raw line: can it hold anything the rules below would
 * change? Lines that fail it skip the structured walk. JSON escapes (`\u…`) can
 * hide a pattern from a text test, so any escape sends the line down the full walk.
 */
export const MAY_HOLD_SECRET = /skl_|sllm_|sdo_|bearer|basic |authoriz|cookie|pass|pwd|secret|token|api[-_]?key|credential|private|session|signature|dsn|:\/\/[^/\s]*@|\\u/i;

/** Platform and console keys; the first group names the kind, the second the key body. */
export const KEY_TOKEN = /\b(skl|sllm|sdo)_([A-Za-z0-9_-]+)/g;
/** `Bearer <anything>` / `Basic <anything>` inside free text. */
export const AUTH_SCHEME = /\b(Bearer|Basic|Token)\s+([^\s"',;]+)/gi;
/** `scheme://user:password@host` */
export const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/[^/\s:@]*):([^@\s/]*)@/gi;
/** `?token=…&password=…` in a URL or form body, and `password=…` / `password: …` in free text. */
export const SECRET_ASSIGNMENT = /\b((?:[A-Za-z_-]*(?:pass(?:word|wd)?|secret|token|api[-_]?key|credential|private[-_]?key|session[-_]?id|signature)[A-Za-z_-]*))(\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s&"',;]+)/gi;
/** SQL: `PASSWORD 'x'` (ALTER ROLE … PASSWORD …). */
export const SQL_PASSWORD = /\b(PASSWORD)\s+('(?:[^']|'')*')/gi;

/** Extra patterns from configuration: each match is replaced whole. */
export function compileExtraPatterns(sources: readonly string[]): RegExp[] {
  return sources.map((s) => {
    try {
      return new RegExp(s, 'g');
    } catch (e) {
      throw new Error(`redaction pattern ${JSON.stringify(s)} is not a valid regular expression: ${(e as Error).message}`);
    }
  });
}
