/**
 * Log text is hostile: before it reaches a terminal, escape sequences (which
 * can move the cursor, rewrite the title, or hide text) and bare CR/LF (which
 * can forge lines) are neutralised. Visible stand-ins keep the evidence.
 */

// CSI, OSC, DCS/PM/APC strings and single ESC sequences, then any other C0/C1 control.
const ESCAPES = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[PX^_][^\u001b]*(?:\u001b\\)?|\u001b[@-Z\\-_]?|\u009b[0-?]*[ -/]*[@-~]/g;
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
/** Bidirectional overrides and isolates reorder what follows them on screen ("Trojan Source"). */
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export const MAX_TERMINAL_TEXT = 16 * 1024;

/** One line of text, safe to print: escapes removed (shown as ␛), CR/LF (and Unicode line breaks) shown as ⏎, other controls and bidi overrides as �. */
export function terminalSafe(text: string): string {
  const capped = text.length > MAX_TERMINAL_TEXT ? text.slice(0, MAX_TERMINAL_TEXT) + '…' : text;
  return capped
    .replace(ESCAPES, '␛')
    .replace(/\r\n|\r|\n|\u2028|\u2029|\u0085/g, '⏎')
    .replace(/\t/g, '  ')
    .replace(CONTROLS, '�')
    .replace(BIDI, '�');
}

/** Multi-line text (a stack trace): each line made safe, newlines kept. */
export function terminalSafeBlock(text: string): string {
  return text
    .slice(0, MAX_TERMINAL_TEXT)
    .split(/\r\n|\n/)
    .map((l) => terminalSafe(l))
    .join('\n');
}
