/**
 * Redaction again at render, for every route at once: a JSON.stringify
 * replacer that Express applies to every `res.json` body, and a walk over the
 * model every page is rendered from. Stored data is redacted at ingest
 * already; these catch what an older store, a new code path or a rule added
 * since would otherwise let through.
 *
 * Each answer has a budget: at most RENDER_BUDGET characters of text go
 * through the full rules (text the pre-check clears costs nothing). Past it,
 * a string that would need them is not shown (OVER_BUDGET), so no ticket of
 * hostile stored lines holds the HTTP thread for long.
 */
import { MAX_REDACT_TEXT, type Redactor } from './redactor.js';
import { COUNTER_KEY, REDACTED, SECRET_HEADERS, isSecretKey } from './secret-patterns.js';
import { setOwn } from '../model/own-key.js';

/** Values the console itself puts in pages under secret-looking names (the form token of the signed-in operator). */
const OWN_KEYS: ReadonlySet<string> = new Set(['csrfToken', '_csrf', 'loginCsrf']);

/** Characters of text the full rules may read for one answer: 16 strings of 64 KiB, under 0.3 s of CPU on the most hostile text measured. */
export const RENDER_BUDGET = 1024 * 1024;

/** What stands for a string the answer's budget did not reach. */
export const OVER_BUDGET = '[REDACTED: not checked, too much text in one answer]';

/** What is left of one answer's budget, and the long strings already redacted for it (a page shows a message in more than one place). */
export interface RenderBudget {
  left: number;
  done: Map<string, string>;
}

export function renderBudget(chars = RENDER_BUDGET): RenderBudget {
  return { left: chars, done: new Map() };
}

/** `s` redacted by `redactor`, charged to `budget`; OVER_BUDGET once the budget is spent. */
export function redactWithin(redactor: Redactor, s: string, budget: RenderBudget | null): string {
  if (!redactor.mayHoldSecret(s)) return s;
  if (budget === null) return redactor.text(s);
  const done = budget.done.get(s);
  if (done !== undefined) return done;
  const cost = Math.min(s.length, MAX_REDACT_TEXT);
  if (cost > budget.left) {
    budget.left = 0;
    return OVER_BUDGET;
  }
  budget.left -= cost;
  const out = redactor.text(s);
  if (s.length >= 1024) budget.done.set(s, out);
  return out;
}

function secretKeyed(key: string): boolean {
  return key !== '' && !OWN_KEYS.has(key) && (isSecretKey(key) || SECRET_HEADERS.has(key.toLowerCase()));
}

function underSecretKey(redactor: Redactor, key: string, value: unknown): unknown {
  if (value === null || value === undefined || typeof value === 'boolean') return value;
  const lower = key.toLowerCase();
  if (SECRET_HEADERS.has(lower) && typeof value === 'string') return redactor.header(lower, value);
  if (typeof value === 'number' && COUNTER_KEY.test(key)) return value;
  return REDACTED;
}

/**
 * Redaction of `res.json` bodies by one redactor: `replacer` is for
 * `app.set('json replacer', …)` (every string is scanned, secret-named keys
 * lose their values), and each answer serialised inside withAnswerBudget is
 * charged to a budget of its own.
 */
export class JsonRedaction {
  /** The budget of the answer being serialised (JSON.stringify is synchronous: one answer at a time). */
  #budget: RenderBudget | null = null;

  constructor(readonly redactor: Redactor) {}

  readonly replacer = (key: string, value: unknown): unknown => {
    if (secretKeyed(key)) return underSecretKey(this.redactor, key, value);
    return typeof value === 'string' ? redactWithin(this.redactor, value, this.#budget) : value;
  };

  /** Runs `f` (which serialises one answer through `replacer`) with a fresh budget. */
  withAnswerBudget<T>(f: () => T, chars = RENDER_BUDGET): T {
    const outer = this.#budget;
    this.#budget = renderBudget(chars);
    try {
      return f();
    } finally {
      this.#budget = outer;
    }
  }
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
export function redactViewModel<T>(redactor: Redactor, model: T, budget: RenderBudget = renderBudget()): T {
  return walk(redactor, model, 0, budget) as T;
}

function walk(redactor: Redactor, v: unknown, depth: number, budget: RenderBudget): unknown {
  if (typeof v === 'string') return redactWithin(redactor, v, budget);
  if (v === null || typeof v !== 'object') return v;
  if (depth > 40) return v;
  if (Array.isArray(v)) return v.map((x) => walk(redactor, x, depth + 1, budget));
  if (!isPlain(v)) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    setOwn(out, k, secretKeyed(k) ? underSecretKey(redactor, k, x) : walk(redactor, x, depth + 1, budget));
  }
  return out;
}
