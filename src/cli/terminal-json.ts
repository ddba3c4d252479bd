/**
 * JSON for a terminal. JSON.stringify leaves DEL, the C1 controls (U+0080–
 * U+009F, among them the one-byte CSI), the bidirectional overrides and
 * isolates ("Trojan Source": they reorder what a terminal shows) and the other
 * invisible format characters as they are, and log text is full of them. Every
 * one is written as a `\uXXXX` escape instead: the output is the same JSON (it
 * parses back to the same value) and holds no character a terminal acts on.
 *
 * Every JSON the CLI prints goes through terminalJson.
 */

/**
 * What is escaped: every control (C0, DEL, C1: \p{Cc}), every format
 * character (\p{Cf}: U+061C, U+200B–U+200F, U+202A–U+202E, U+2060–U+2069,
 * U+FEFF, the tags…), the line and paragraph separators U+2028/U+2029, and the
 * whole U+2060–U+206F block (its unassigned code points too: a terminal with a
 * newer Unicode may treat them as format characters).
 * The newline is left out: JSON.stringify escapes every control inside a
 * string, so a raw one can only be the indentation's line break.
 */
const UNSAFE = /(?!\n)[\p{Cc}\p{Cf}\u2028\u2029\u2060-\u206f]/gu;

function escape(ch: string): string {
  let out = '';
  // An astral character (a tag, U+E0001…) is escaped as its surrogate pair, as JSON spells it.
  for (let i = 0; i < ch.length; i++) out += `\\u${ch.charCodeAt(i).toString(16).padStart(4, '0')}`;
  return out;
}

/** JSON.stringify(value, null, indent), every control and format character escaped. */
export function terminalJson(value: unknown, indent?: number): string {
  const text = JSON.stringify(value, null, indent);
  // undefined (not JSON) prints as nothing rather than as "undefined".
  return text === undefined ? '' : text.replace(UNSAFE, escape);
}

/** The same, followed by a newline: one JSON document per write. */
export function terminalJsonLine(value: unknown, indent?: number): string {
  return terminalJson(value, indent) + '\n';
}
