/**
 * The redactor: the rules of secret-patterns.ts and the scanners beside it,
 * plus the extra patterns configured (DIAG_REDACT_PATTERNS), built once and
 * passed to whatever redacts — stores, parsers, threads, the HTTP app. It
 * never changes once built, so two redactors in one process never affect
 * each other. Every method is idempotent (redacting twice changes nothing
 * more), so the same rules run at ingest, again at render, and in our own
 * logs.
 */
import type { ErrInfo, Event, Fields, Json } from '../model/event.js';
import { setOwn } from '../model/own-key.js';
import { scanAuthSchemes } from './auth-scheme.js';
import { scanNamedSecrets } from './named-secrets.js';
import { views } from './normalised-view.js';
import { scanPatterns } from './pattern-rules.js';
import { MAY_HOLD_SECRET, REDACTED, SECRET_HEADERS, compileExtraPatterns, isCounterName, isSecretKey } from './secret-patterns.js';
import { Spans } from './spans.js';
import { credentialStub } from './stubs.js';
import { scanTokens } from './token-scan.js';

/** Text longer than this is cut before any pattern runs on it. */
export const MAX_REDACT_TEXT = 64 * 1024;

/** What a redactor is built from: plain data, so a thread is started with it and builds its own. */
export interface RedactorConfig {
  /** Extra patterns (regular expression sources), each match of which goes whole: DIAG_REDACT_PATTERNS, one a line. */
  readonly patterns: readonly string[];
}

/** The value under a secret-named key: gone, unless it says nothing (null, a flag). */
function secretValue(v: Json): Json {
  return v === null || typeof v === 'boolean' ? v : REDACTED;
}

/** `--password`, `--api-key`, `-token`: a command-line flag naming a secret, its value the next argument. */
function isSecretFlag(v: Json): boolean {
  return typeof v === 'string' && /^--?[A-Za-z][A-Za-z0-9_-]{0,63}$/.test(v) && isSecretKey(v.replace(/^-+/, '')) && !isCounterName(v);
}

export class Redactor {
  /** What it was built from (the patterns' sources), for a thread to build the same redactor. */
  readonly config: RedactorConfig;
  readonly #extra: readonly RegExp[];

  /** Refuses (throws) a pattern that is not a valid regular expression or may backtrack without bound (compileExtraPatterns). */
  constructor(config: RedactorConfig) {
    this.config = Object.freeze({ patterns: Object.freeze([...config.patterns]) });
    this.#extra = Object.freeze(compileExtraPatterns(this.config.patterns));
    Object.freeze(this);
  }

  /** A quick test on raw text: false means nothing in it can need redaction. */
  mayHoldSecret(raw: string): boolean {
    return this.#extra.length > 0 || MAY_HOLD_SECRET.test(raw);
  }

  /**
   * Every rule reads the text and each decoded view of it (percent and JSON
   * escapes undone, normalised-view.ts) and names spans of the original; the
   * spans are merged and the original rebuilt once. Each rule is one forward
   * scan, so the whole costs a few linear passes over at most 64 KiB.
   */
  text(text: string): string {
    if (text.length > MAX_REDACT_TEXT) text = text.slice(0, MAX_REDACT_TEXT) + '…[truncated]';
    return this.mayHoldSecret(text) ? this.applyRules(text) : text;
  }

  /** Every rule on the text, whatever the pre-check says (text() skips the lines it clears). */
  applyRules(text: string): string {
    const spans = new Spans();
    for (const view of views(text)) {
      scanTokens(view, spans);
      scanAuthSchemes(view, spans);
      scanNamedSecrets(view, spans);
      scanPatterns(view, spans, this.#extra);
    }
    return spans.apply(text);
  }

  /** A header value, given its name: credentials go (keeping a platform key's stub), the rest is treated as text. */
  header(name: string, value: Json): Json {
    const lower = name.toLowerCase();
    if (lower === 'authorization' || lower === 'proxy-authorization') {
      if (typeof value !== 'string') return REDACTED;
      const m = /^\s*(\S+)\s+(\S+)/.exec(value);
      return m ? `${m[1]} ${credentialStub(m[2]!)}` : credentialStub(value.trim());
    }
    if (SECRET_HEADERS.has(lower) || isSecretKey(lower)) return value === null ? null : REDACTED;
    return this.json(value);
  }

  /** Any JSON value, at any depth: secret-named keys lose their values, all text is scanned. */
  json(value: Json, depth = 0): Json {
    if (typeof value === 'string') return this.text(value);
    if (value === null || typeof value !== 'object') return value;
    if (depth > 32) return REDACTED;
    if (Array.isArray(value)) return this.#array(value, depth);
    const out: { [k: string]: Json } = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === 'headers' && v && typeof v === 'object' && !Array.isArray(v)) {
        const h: { [k: string]: Json } = {};
        for (const [hn, hv] of Object.entries(v)) setOwn(h, hn, this.header(hn, hv));
        setOwn(out, k, h);
      } else if (SECRET_HEADERS.has(k.toLowerCase())) {
        setOwn(out, k, this.header(k, v));
      } else if (isSecretKey(k)) {
        setOwn(out, k, secretValue(v));
      } else {
        setOwn(out, k, this.json(v, depth + 1));
      }
    }
    return out;
  }

  /** An array, element by element; in an argv (`["node", "x.js", "--password", "hunter2"]`) the element after a secret flag goes. */
  #array(value: Json[], depth: number): Json[] {
    return value.map((v, i) => (i > 0 && isSecretFlag(value[i - 1]!) && v !== null && typeof v !== 'boolean' && !isSecretFlag(v) ? REDACTED : this.json(v, depth + 1)));
  }

  /**
   * Removes every secret the rules know from a parsed event — its free text
   * (message, error text, request path, audit actor) and its fields at any
   * depth — in place (events are the parser's own, fresh objects), and
   * returns it. The stores' encoder calls it on every event whose encoded
   * line the pre-check cannot clear.
   */
  event<E extends Event>(e: E): E {
    e.message = this.text(e.message);
    e.fields = this.json(e.fields as Json) as Fields;
    if (e.source === 'audit') {
      if (e.actor !== null) e.actor = this.text(e.actor);
      return e;
    }
    if (e.err) this.#err(e.err);
    if (e.source === 'cp' && e.http) e.http.path = this.text(e.http.path);
    return e;
  }

  #err(err: ErrInfo): void {
    if (err.message !== null) err.message = this.text(err.message);
    if (err.hint !== null) err.hint = this.text(err.hint);
    if (err.stack !== null) err.stack = this.text(err.stack);
  }
}

/** The redactor of a configuration (its extra patterns); throws, naming the pattern, when one is refused. */
export function createRedactor(config: RedactorConfig): Redactor {
  return new Redactor(config);
}

/** The built-in rules only: for stores and apps built directly (tests, the demo) and threads that redact nothing. */
export const DEFAULT_REDACTOR: Redactor = createRedactor({ patterns: [] });
