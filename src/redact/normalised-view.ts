/**
 * The text the rules read, decoded: `%XX` percent escapes and JSON string
 * escapes (`\"`, `\\`, `\/`, `\n`, `\uXXXX`…) turned into the characters they
 * stand for, so `%22password%22%3A%22x%22`, `Bearer%20eyJ…` or `\u0073kl_…`
 * meet the same rules as their plain forms. Each view keeps, for every one of
 * its characters, where that character starts in the original text, so what
 * a rule finds in a view is cut from the original.
 *
 * Decoding runs again on its own output (double encoding: `%2522`, `\\\"`),
 * at most MAX_DECODE_PASSES times; every pass is one linear scan. The rules
 * read every view, the original included: a pass can lose what the one
 * before it showed (`"a\"b"` becomes `"a"b"`).
 */

/** A text to match on, and the original offset of each of its characters (plus one past the end). */
export interface View {
  text: string;
  /** map[i]: offset in the original text where view character i starts; map[text.length] is the original's length. */
  map: Int32Array | null;
}

export const MAX_DECODE_PASSES = 3;

/** Can `text` hold an escape a pass would decode? (A `%` or a backslash: cheap to test, decoding is only tried then.) */
function mayDecode(text: string): boolean {
  return text.includes('%') || text.includes('\\');
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  const l = c | 0x20;
  return l >= 97 && l <= 102 ? l - 87 : -1;
}

/** The value of `n` hex digits at `i`, or -1. */
function hexAt(text: string, i: number, n: number): number {
  if (i + n > text.length) return -1;
  let v = 0;
  for (let k = 0; k < n; k++) {
    const h = hexValue(text.charCodeAt(i + k));
    if (h < 0) return -1;
    v = v * 16 + h;
  }
  return v;
}

/** What `\x` stands for, by the code of x (0: no such escape). */
const SIMPLE_ESCAPES = new Uint16Array(128);
for (const [e, v] of Object.entries({ '"': '"', '\\': '\\', '/': '/', "'": "'", b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' })) {
  SIMPLE_ESCAPES[e.charCodeAt(0)] = v.charCodeAt(0);
}

let codes = new Uint16Array(1024);

/** A buffer of at least `n` char codes, reused from call to call (its contents become a string before the next call). */
function scratch(n: number): Uint16Array {
  if (codes.length < n) codes = new Uint16Array(Math.max(n, codes.length * 2));
  return codes;
}

/** Char codes to a string, in slices small enough for fromCharCode's argument list. */
function fromCodes(codes: Uint16Array, n: number): string {
  let s = '';
  for (let i = 0; i < n; i += 8192) s += String.fromCharCode.apply(null, codes.subarray(i, Math.min(n, i + 8192)) as unknown as number[]);
  return s;
}

/** One decoding pass: the decoded text and, per decoded character, its offset in `text`; null when nothing was decoded. */
export function decodeOnce(text: string): { text: string; map: Int32Array } | null {
  const out = scratch(text.length);
  const map = new Int32Array(text.length + 1);
  let n = 0;
  let changed = false;
  for (let i = 0; i < text.length; ) {
    const c = text.charCodeAt(i);
    let v = -1;
    let width = 1;
    if (c === 37 /* % */) {
      v = hexAt(text, i + 1, 2);
      width = 3;
    } else if (c === 92 /* \ */ && i + 1 < text.length) {
      const e = text.charCodeAt(i + 1);
      if (e === 117 /* u */) {
        v = hexAt(text, i + 2, 4);
        width = 6;
      } else if (e < 128 && SIMPLE_ESCAPES[e]! > 0) {
        v = SIMPLE_ESCAPES[e]!;
        width = 2;
      }
    }
    map[n] = i;
    if (v < 0) {
      out[n++] = c;
      i++;
    } else {
      out[n++] = v;
      i += width;
      changed = true;
    }
  }
  if (!changed) return null;
  map[n] = text.length;
  return { text: fromCodes(out, n), map: map.subarray(0, n + 1) };
}

/** The original text and each decoded view of it, maps composed back to the original. */
export function views(text: string): View[] {
  const all: View[] = [{ text, map: null }];
  let cur = all[0]!;
  for (let pass = 0; pass < MAX_DECODE_PASSES && mayDecode(cur.text); pass++) {
    const d = decodeOnce(cur.text);
    if (!d) break;
    const prev = cur.map;
    const map = prev ? d.map.map((k) => prev[k]!) : d.map;
    cur = { text: d.text, map };
    all.push(cur);
  }
  return all;
}

/** The original offset of view offset `i`. */
export function originalOffset(view: View, i: number): number {
  return view.map ? view.map[i]! : i;
}
