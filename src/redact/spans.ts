/**
 * What the rules found, as spans of the original text and what each span
 * becomes. Every rule adds spans in the coordinates of the view it read;
 * they are mapped back to the original, overlapping spans are merged, and the
 * original is rebuilt once with each merged span replaced.
 */
import { originalOffset, type View } from './normalised-view.js';
import { REDACTED } from './secret-patterns.js';

/** How specific a span's replacement is: when two spans cover the same text, the lower rank's replacement is used. */
export const Rank = {
  /** A platform key cut to its stub (`skl_1a2b3c4d…`). */
  Stub: 0,
  /** A recognised token shape, its kind kept (`ghp_[REDACTED]`). */
  Shape: 1,
  /** Anything else: `[REDACTED]`. */
  Plain: 2,
} as const;
export type Rank = (typeof Rank)[keyof typeof Rank];

export interface Span {
  start: number;
  end: number;
  replacement: string;
  rank: Rank;
}

/** Collects spans found in views of one original text. */
export class Spans {
  readonly list: Span[] = [];

  /** A span found in `view` at [start, end): kept in original offsets. Empty spans and no-op replacements are dropped. */
  add(view: View, start: number, end: number, replacement: string = REDACTED, rank: Rank = Rank.Plain): void {
    if (end <= start) return;
    const s = originalOffset(view, start);
    const e = originalOffset(view, end);
    if (e <= s) return;
    this.list.push({ start: s, end: e, replacement, rank });
  }

  /**
   * The original with every span replaced. Spans that overlap become one
   * span over both: a span that contains the others keeps its replacement
   * (the lower rank's when they cover the same text), spans that only
   * partly overlap become `[REDACTED]`. A span whose replacement is the text
   * it covers changes nothing.
   */
  apply(original: string): string {
    if (this.list.length === 0) return original;
    const sorted = this.list.sort((a, b) => a.start - b.start || b.end - a.end || a.rank - b.rank);
    const out: string[] = [];
    let at = 0;
    let cur: Span | null = null;
    const emit = (s: Span) => {
      out.push(original.slice(at, s.start), s.replacement);
      at = s.end;
    };
    for (const s of sorted) {
      if (cur && s.start < cur.end) {
        if (s.end > cur.end) cur = { start: cur.start, end: s.end, replacement: REDACTED, rank: Rank.Plain };
        continue;
      }
      if (cur) emit(cur);
      cur = { ...s };
    }
    if (cur) emit(cur);
    out.push(original.slice(at));
    return out.join('');
  }
}

/**
 * The end of the run of characters of one class that holds position `p`,
 * remembered: asked again for a position inside the same run it answers at
 * once, so a scanner that asks for every hit inside one long run reads the
 * run once. Positions must be asked in increasing order.
 */
export class RunEnds {
  private from = -1;
  private to = -1;

  constructor(
    private readonly text: string,
    private readonly inClass: (c: number) => boolean,
  ) {}

  end(p: number): number {
    if (p >= this.from && p < this.to) return this.to;
    let e = p;
    while (e < this.text.length && this.inClass(this.text.charCodeAt(e))) e++;
    if (e > p) [this.from, this.to] = [p, e];
    return e;
  }
}

/** `[A-Za-z0-9_-]`: the characters of keys, tokens and names. */
export function isWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 45;
}

/** `[A-Za-z0-9]`. */
export function isAlnum(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57);
}

/** The end of the run of spaces and tabs at `p`. */
export function skipBlanks(text: string, p: number): number {
  while (p < text.length && (text.charCodeAt(p) === 32 || text.charCodeAt(p) === 9)) p++;
  return p;
}
