/**
 * What counts as a secret, in one place. Redaction at ingest, at render and in
 * our own request logs all read these rules.
 *
 * The rules that run on text are hand-written forward scanners
 * (token-scan.ts, named-secrets.ts, auth-scheme.ts) and the few regular
 * expressions below, whose quantifiers next to each other never overlap
 * without a bound: all linear, so hostile log text cannot make them
 * backtrack (test/redact/linear-time.test.ts holds them to that).
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
 * A counter whose name looks secret (`max_tokens`, `--max-tokens`,
 * `tokens_used`): its value stays. Dashes count as underscores, leading ones
 * (a command-line flag's) are dropped.
 */
export function isCounterName(name: string): boolean {
  return COUNTER_KEY.test(name.replace(/^-+/, '').replace(/-/g, '_'));
}

/**
 * A cheap test on a whole raw line: can it hold anything the rules change?
 * Lines that fail it skip the structured walk, so it must stay a superset of
 * every rule (test/redact/pre-check.test.ts checks that). The rules also read
 * the line decoded (normalised-view.ts), so what an escape can hide counts:
 * `\u` escapes, percent-encoded letters, `_` and `-` (`%4x`–`%7x`, `%2d`),
 * double encoding (`%25`), and the encoded punctuation of the URL and query
 * rules (`%3a/`, `%3f`, `%26`). On ordinary log lines it costs about 1.4 times
 * what the test before encodings did (2 µs a line, measured on the bench
 * corpus).
 */
export const MAY_HOLD_SECRET =
  // The same words as a flat alternation would list, grouped by first letter: V8 then tests one
  // letter per position instead of every word, about twice as fast on long lines (measured).
  /s(?:kl_|llm_|do_|ecret|ession|ig|k_(?:live|test)_|k-(?:ant|proj)-|hp(?:at|ss|ca|pa)_)|b(?:earer|asic)|a(?:uth|pi[-_]?key|ccess[-_]?key|kia|iza|sia)|c(?:ookie|redential|onnection)|p(?:ass|wd|rivate|ypi-)|token|d(?:sn|op_v1_)|eyj|g(?:h[pousr]_|ithub_pat_|lp(?:at|tt)-)|x(?:ox|app-)|rk_(?:live|test)_|whsec_|npm_|hf_|:(?:\/|\\\/|%2f)(?:\/|\\\/|%2f)[^/\s]*(?:@|%40)|[?&]key(?:=|%3d)|\\u|%(?:[4-7][0-9a-f]|2d|25|3f|26|3a(?:\/|\\\/|%2f))/i;

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
