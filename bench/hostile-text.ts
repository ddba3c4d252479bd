/**
 * Text built to make redaction slow: repetitions of each rule's prefixes,
 * separators and alphabets, alone and mixed, with and without the head that
 * opens a rule (`Authorization: Bearer `, `postgres://user:`, a PEM BEGIN
 * line). A rule that scans to the end of the text from every start takes
 * time growing as the square of the length on one of these.
 */

export interface HostileUnit {
  name: string;
  /** Repeated to fill the size. */
  unit: string;
  /** Written once before the repetitions. */
  head?: string;
}

const u = (unit: string, head?: string, name = head ? `${head.trim()} + ${unit}…` : `${unit}…`): HostileUnit => ({ name, unit, ...(head ? { head } : {}) });

export const HOSTILE_UNITS: HostileUnit[] = [
  // Words, runs and the key alphabet.
  u('token'), u('a-'), u('a', undefined, 'aaaa… (one word)'), u('x', 'Authorization: Bearer '), u('A', 'skl_'),
  // JSON Web Tokens: the first segment without its dot, or dots without payloads.
  u('eyJ-'), u('eyJaaaaa-'), u('eyJaaaaa.'), u('eyJabcde.'), u('eyJaaaaa.aaaaa-'), u('eyJ.eyJ.'),
  // Platform and vendor prefixes.
  u('skl_'), u('sllm_'), u('sdo_'), u('skl_skl_a'), u('ghp_'), u('github_pat_'), u('xoxb-'), u('xapp-'), u('sk_live_'), u('whsec_'), u('AIza'), u('glpat-'), u('npm_'), u('AKIA'), u('ASIA'), u('AKIAAKIA0'),
  // Schemes.
  u('Bearer '), u('Bearer Bearer '), u('Basic '), u('Bearer a'), u('Bearer realm='), u('Bearer x="'),
  // Names and separators.
  u('password='), u('password     '), u('password\t\t:\t'), u('password= '), u('"password": "'), u('"secret": "\\"', undefined, '"secret": "\\"…'), u('\\"', '"secret": "'),
  u("'", 'password='), u('token="'), u('token=\''), u('cookie='), u('cookie="'), u('Cookie: '), u('max_tokens='),
  u('--password '), u('--password --password '), u('--token='), u('aws_secret_access_key '),
  // Encodings.
  u('%22password%22%3A'), u('%22password%22%3A%22'), u('password%3D'), u('%25'), u('%2525'), u('%41%4'), u('%'), u('\\u0073'), u('\\u00'), u('\\\\'), u('\\'),
  u('Bearer%20'), u('%20skl_'), u('\\u0073kl_'),
  // Patterns that stay regular expressions.
  u('p', 'postgres://user:'), u('x://'), u('a://b:'), u('&key=', '?'), u("''", "ALTER ROLE x PASSWORD '"), u("PASSWORD '"),
  u('MIIEvQIBADANBgkqhkiG9w0BAQEFAASC ', '-----BEGIN PRIVATE KEY-----\n', 'PEM BEGIN, no END'),
  u('api_key access-key session_id ', undefined, 'secret words, spaced'),
];

export function hostileText(h: HostileUnit, size: number): string {
  const head = h.head ?? '';
  return (head + h.unit.repeat(Math.ceil(size / h.unit.length))).slice(0, size);
}
