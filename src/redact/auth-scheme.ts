/**
 * `Bearer <credential>` and `Basic <base64>` in free text. The credential
 * after Bearer goes when it looks like one (a digit or symbol, or length),
 * so prose ("the Bearer doesn't match") stays; a scheme word after a scheme
 * word starts the pair (`Bearer Bearer x`); and the auth-parameter syntax of
 * a challenge (`Bearer realm="tellwang-diag", error="invalid_token"`) is not
 * a credential. Platform keys after Bearer are left to token-scan.ts, which
 * cuts them to their stub.
 */
import type { View } from './normalised-view.js';
import { RunEnds, type Spans, isWordChar, skipBlanks } from './spans.js';
import { looksLikeCredential, redactedAt } from './stubs.js';

const SCHEMES = /bearer|basic/gi;

/** A Bearer credential runs to whitespace, a quote or a bracket: `[^\s"',;<>()[\]{}]`. */
function isCredChar(c: number): boolean {
  if (c <= 32) return false;
  switch (c) {
    case 34: case 39: case 44: case 59: case 60: case 62: case 40: case 41: case 91: case 93: case 123: case 125:
      return false;
    default:
      return !(c === 0x85 || c === 0xa0 || c === 0x2028 || c === 0x2029 || c === 0x3000 || (c >= 0x2000 && c <= 0x200a));
  }
}

/** [A-Za-z0-9+/]: a Basic credential's base64. */
function isBase64Char(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 43 || c === 47;
}

/** `name=value` or `name="value"` after the scheme: a challenge's auth parameters, not a token68 credential. */
function isAuthParam(t: string, cred: string, credEnd: number): boolean {
  if (/^[A-Za-z0-9_-]+=+[^=]/.test(cred)) return true;
  // `realm="x"`, `password=[REDACTED]`: the value follows the `=` in a character a credential does not hold.
  if (/^[A-Za-z0-9_-]+=+$/.test(cred) && credEnd < t.length && !/[\s,;]/.test(t[credEnd]!)) return true;
  return /^[A-Za-z0-9_-]+$/.test(cred) && t.charCodeAt(skipBlanks(t, credEnd)) === 61 && credEnd < t.length;
}

export function scanAuthSchemes(view: View, spans: Spans): void {
  const t = view.text;
  const creds = new RunEnds(t, isCredChar);
  const base64 = new RunEnds(t, isBase64Char);
  const re = new RegExp(SCHEMES.source, 'gi');
  for (let m = re.exec(t); m; m = re.exec(t)) {
    const after = m.index + m[0].length;
    if (isWordChar(t.charCodeAt(after))) continue;
    const c = skipBlanks(t, after);
    if (c === after || redactedAt(t, c)) continue;
    const bearer = m[0].length === 6;
    const end = bearer ? creds.end(c) : base64.end(c);
    const cred = t.slice(c, end);
    if (cred === '' || /^(?:bearer|basic)$/i.test(cred)) continue;
    if (bearer) {
      // Keys are token-scan.ts's to cut; a stub inside the credential (`0sdo_…=`) is what an earlier pass left.
      // A credential that runs into `[REDACTED]` is what an earlier pass left of a longer one (`password%3D[REDACTED]`).
      if (/^(?:skl|sllm|sdo)_|(?:skl|sllm)_[A-Za-z0-9_-]{0,8}…|sdo_…/.test(cred) || redactedAt(t, end) || isAuthParam(t, cred, end) || !looksLikeCredential(cred)) continue;
      spans.add(view, c, end);
    } else {
      if (cred.length < 8) continue;
      let e = end;
      while (e < end + 2 && t.charCodeAt(e) === 61) e++;
      spans.add(view, c, e);
      re.lastIndex = e;
    }
  }
}
