/**
 * What counts as a secret, in one place. Redaction at ingest, at render and in
 * our own request logs all read these rules.
 *
 * Every pattern that runs on text is linear: quantifiers next to each other
 * never overlap without a bound, so hostile log text cannot make them
 * backtrack (test/redact/redos.test.ts holds them to that).
 */
import safeRegex from 'safe-regex2';

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
  'x-amz-security-token',
]);

/** Object keys, at any depth, whose values are credentials. */
export const SECRET_KEY =
  /pass(?:word|wd|phrase)|^pass$|^pwd$|secret|token|api[-_]?key|access[-_]?key|credential|private[-_]?key|authorization|cookie|session[-_]?id|^dsn$|signature|^sig$|^auth$|connection[-_]?string/i;

/** Keys that look secret by name but carry counters (LLM usage and the like). */
export const COUNTER_KEY =
  /^(?:(?:max|total|prompt|completion|input|output|cached|reasoning)_tokens?(?:_[a-z]+)?|tokens(?:_(?:used|count|limit|remaining))?|tokens?_(?:used|count|limit|remaining))$/i;

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key) && !COUNTER_KEY.test(key);
}

/**
 * A cheap test on a whole raw line: can it hold anything the rules below would
 * change? Lines that fail it skip the structured walk, so it must stay a
 * superset of every rule (test/redact/redact-properties.test.ts checks that).
 * JSON escapes (`\u…`) can hide a pattern from a text test, so any escape
 * sends the line down the full walk.
 */
export const MAY_HOLD_SECRET =
  // The same words as a flat alternation would list, grouped by first letter: V8 then tests one
  // letter per position instead of every word, about twice as fast on long lines (measured).
  /s(?:kl_|llm_|do_|ecret|ession|ig)|b(?:earer|asic)|a(?:uth|pi[-_]?key|ccess[-_]?key|kia)|c(?:ookie|redential|onnection)|p(?:ass|wd|rivate)|token|dsn|:\/\/[^/\s]*@|[?&]key=|eyj|\\u/i;

/** Platform and console keys; groups: kind, key body, and the mark of a key already cut to its stub. */
export const KEY_TOKEN = /(?<![A-Za-z0-9])(skl|sllm|sdo)_([A-Za-z0-9_-]+)(…?)/g;

/**
 * `Bearer <credential>` / `Basic <base64>` inside free text. Placeholders such as `Bearer <skl_…>` are left alone,
 * and so is a scheme word that a scheme word follows (`Bearer Bearer x`): the second one starts the pair, so
 * redacting twice finds nothing more.
 */
export const AUTH_SCHEME = /\b(Bearer)[ \t]+(?!(?:Bearer|Basic)\b)([^\s"',;<>()[\]{}]+)|\b(Basic)[ \t]+(?!(?:Bearer|Basic)\b)([A-Za-z0-9+/]{8,}={0,2})/gi;

/** `scheme://user:password@host`: the password runs to the last `@` before the path. */
export const URL_USERINFO = /\b([a-z][a-z0-9+.-]{0,30}:\/\/[^/\s:@]{0,256}):([^\s/]*)@/gi;

/** The words that make a key name secret, inside free text (`password=…`, `"api_key": "…"`, `?token=…`). */
const SECRET_WORD = 'pass(?:word|wd|phrase)?|pwd|secret|token|api[-_]?key|access[-_]?key|credential|private[-_]?key|authorization|session[-_]?id|signature|connection[-_]?string';

/**
 * `key=value`, `key: value`, `"key": "value"` where the key names a secret.
 * Groups: key, separator, value. The key's letters around the secret word are
 * bounded, so a long run of letters cannot make it backtrack.
 */
export const SECRET_ASSIGNMENT = new RegExp(
  `([A-Za-z0-9_-]{0,32}?(?:${SECRET_WORD})[A-Za-z0-9_-]{0,32})(["']?[ \\t]{0,4}[=:][ \\t]{0,4})(\\[REDACTED\\]|"(?:[^"\\\\\\n]|\\\\.){0,4096}"|'[^'\\n]{0,4096}'|(?:Bearer |Basic )?[^\\s&"',;<>]+)`,
  'gi',
);

/** `Cookie: …` / `Set-Cookie: …` in free text: the whole value, to the end of the line. */
export const COOKIE_LINE = /\b((?:set-)?cookie)(["']?[ \t]{0,4}[:=][ \t]{0,4})("(?:[^"\\\n]|\\.){0,4096}"|[^\n]+)/gi;

/** Query parameters whose short names are secrets by convention (`?key=`, `?sig=`, `?auth=`). */
export const SECRET_QUERY = /([?&](?:key|sig|auth)=)([^&#\s"'<>]+)/gi;

/** SQL: `PASSWORD 'x'` (CREATE / ALTER ROLE … PASSWORD …). */
export const SQL_PASSWORD = /\b(PASSWORD)\s{1,8}('(?:[^']|''){0,4096}')/gi;

/** A JSON Web Token. */
export const JWT = /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g;

/** The body of a PEM private key (its BEGIN line is kept, so a reader knows what was there). */
export const PEM_PRIVATE_KEY = /(-----BEGIN [A-Z ]{0,24}PRIVATE KEY-----)[A-Za-z0-9+/=\s\\]*/g;

/** An AWS access key id. */
export const AWS_ACCESS_KEY = /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g;

/**
 * Extra patterns from configuration: each match is replaced whole. They run
 * on every stored line and every page, so one that can backtrack without
 * bound would let a hostile log line stall ingest: patterns safe-regex2
 * cannot clear (a repetition inside a repeated group, more than 25
 * repetitions, or a construct it cannot analyse) are refused.
 */
export function compileExtraPatterns(sources: readonly string[]): RegExp[] {
  return sources.map((s) => {
    let re: RegExp;
    try {
      re = new RegExp(s, 'g');
    } catch (e) {
      throw new Error(`redaction pattern ${JSON.stringify(s)} is not a valid regular expression: ${(e as Error).message}`);
    }
    if (!safeRegex(re)) {
      throw new Error(
        `redaction pattern ${JSON.stringify(s)} is refused: it may take exponential time on hostile log text ` +
          '(a repetition inside a repeated group such as (a+)+ or (x+)?, more than 25 repetitions, or a construct the check cannot analyse such as a lookbehind); ' +
          'write it with one level of repetition',
      );
    }
    return re;
  });
}
