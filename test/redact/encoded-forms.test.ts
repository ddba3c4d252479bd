/**
 * One case per class and form: plain, percent-encoded, JSON-escaped, glued
 * to the text before. Each of these came through before redaction read the
 * decoded text.
 */
import { describe, expect, it } from 'vitest';
import type { Json } from '../../src/model/event.js';
import { createRedactor, DEFAULT_REDACTOR } from '../../src/redact/redactor.js';
import { REDACTED as R } from '../../src/redact/secret-patterns.js';

const redactText = (t: string) => DEFAULT_REDACTOR.text(t);
const redactJson = (v: Json) => DEFAULT_REDACTOR.json(v);
const redactHeader = (name: string, v: Json) => DEFAULT_REDACTOR.header(name, v);

const k32 = '9f3a1c2b' + '0123456789abcdef01234567';
const k64 = '9f3a1c2b' + 'd'.repeat(56);
const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl';
const sdo = 'sdo_' + 'Qx-_'.repeat(10) + 'abc';

const cases: [string, string, string][] = [
  // Percent-encoded.
  ['key after %20', `called%20with%20skl_${k32}`, 'called%20with%20skl_9f3a1c2b…'],
  ['Bearer after %3A%20', `Authorization%3A%20Bearer%20opaque-token-1234567`, `Authorization%3A%20Bearer%20${R}`],
  ['JWT after an encoded Bearer', `Bearer%20${jwt}`, `Bearer%20${R}`],
  ['password%3D', 'password%3Dhunter2&next=1', `password%3D${R}&next=1`],
  // Found by the idempotence property: a second pass took `password%3D` before `[REDACTED]` for a Bearer credential.
  ['Bearer then password%3D', 'Bearer password%3Dhunter2', `Bearer ${R}`],
  ['Bearer then password%3D then a stub', `Bearer password%3Dhunter2skl_12345678…`, `Bearer password%3D${R}`],
  // Found by the idempotence property: an unclosed quote after `password%3D` already reduced hid the `--password` after it.
  ['a reduced quoted value, then a flag', `password%3D"${R}\\u0020--password hunter2 --verbose`, `password%3D"${R}\\u0020--password ${R} --verbose`],
  // Found by the idempotence property: a short key holding a console token, named as a password, was kept whole; once
  // the name was gone (inside a Bearer credential) the next pass cut the token.
  ['a console token in a short key named as a password', 'password: skl_sdo_skl_', 'password: skl_sdo_…'],
  ['the same after a Bearer credential', 'Bearer ghp_password: skl_sdo_skl_', `Bearer ${R} skl_sdo_…`],
  ['a JSON body, URL-encoded', '%7B%22password%22%3A%22x%22%7D', `%7B%22password%22%3A%22${R}%22%7D`],
  ['a key inside %22…%22', `%22skl_${k64}%22`, '%22skl_9f3a1c2b…%22'],
  ['an encoded letter in the name', 'p%61ssword=hunter2', `p%61ssword=${R}`],
  ['double encoded', '%2522token%2522%253A%2522abc123%2522', `%2522token%2522%253A%2522${R}%2522`],
  ['URL userinfo, encoded', 'postgres%3A%2F%2Fapp%3Apw1%40db%2Fapp', `postgres%3A%2F%2Fapp%3A${R}%40db%2Fapp`],
  // JSON-escaped.
  ['\\u in a key', `\\u0073kl_${k32}`, 'skl_9f3a1c2b…'],
  ['JSON text in a JSON string', '{\\"password\\": \\"x\\", \\"user\\": \\"u\\"}', `{\\"password\\": \\"${R}\\", \\"user\\": \\"u\\"}`],
  ['escaped twice', '{\\\\\\"api_key\\\\\\":\\\\\\"abc123\\\\\\"}', `{\\\\\\"api_key\\\\\\":\\\\\\"${R}\\\\\\"}`],
  // Glued to the text before.
  ['letters before skl_', `tokenskl_${k32}`, 'tokenskl_9f3a1c2b…'],
  ['letters and digits before sllm_', `xyz123sllm_${k64}`, 'xyz123sllm_9f3a1c2b…'],
  ['sdo_ glued', `id${sdo} ok`, 'idsdo_… ok'],
  ['a JWT glued', `tok${jwt}`, `tok${R}`],
  // Any blanks around = and :.
  ['spaces around =', 'password      =       hunter2', `password      =       ${R}`],
  ['tabs around :', 'secret\t\t:\t\t\tabc', `secret\t\t:\t\t\t${R}`],
  ['JSON with wide spacing', '{"password"     :      "x"}', `{"password"     :      "${R}"}`],
  // Command lines.
  ['--password VALUE', 'pg_dump --password hunter2 --verbose', `pg_dump --password ${R} --verbose`],
  ['--token=VALUE', 'cli --token=abc123 run', `cli --token=${R} run`],
  ['--api-key VALUE', 'x --api-key   k-123 y', `x --api-key   ${R} y`],
  ['--client-secret VALUE', 'x --client-secret "a b c"', `x --client-secret "${R}"`],
  ['-p is a port, not a password', 'psql -h db -p 5432 -U app', 'psql -h db -p 5432 -U app'],
  ['--max-tokens is a counter', 'llm --max-tokens 512', 'llm --max-tokens 512'],
  // Vendor shapes.
  ['GitHub classic', 'ghp_' + 'aB3'.repeat(12), `ghp_${R}`],
  ['GitHub fine-grained', 'github_pat_' + '11ABCDEFG0_'.repeat(8), `github_pat_${R}`],
  ['Slack bot, glued', 'tokxoxb-123456789012-123456789012-abcdefABCDEF123456', `tokxoxb-${R}`],
  ['Slack app', 'xapp-1-A0123456789-1234567890123-abcdef0123456789', `xapp-${R}`],
  ['Stripe live', 'key: sk_live_' + 'a1B2'.repeat(6), `key: sk_live_${R}`],
  ['Stripe restricted test', 'rk_test_' + 'Zz9'.repeat(10), `rk_test_${R}`],
  ['Stripe webhook secret', 'whsec_' + 'x7Y'.repeat(11), `whsec_${R}`],
  ['Google API key', 'AIza' + 'Sy-1_abcdefghijklmnopqrstuvwxyz0123', `AIza${R}`],
  ['GitLab PAT', 'glpat-' + 'xY1-'.repeat(5), `glpat-${R}`],
  ['npm token', 'npm_' + 'a1'.repeat(18), `npm_${R}`],
  ['AWS session key id', 'ASIAIOSFODNN7EXAMPLE', R],
  ['AWS secret, =', 'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', `aws_secret_access_key = ${R}`],
  ['AWS secret, :', 'AWS_SECRET_ACCESS_KEY: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', `AWS_SECRET_ACCESS_KEY: ${R}`],
  ['AWS secret, a space', 'AWS_SECRET_ACCESS_KEY wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', `AWS_SECRET_ACCESS_KEY ${R}`],
  ['AWS secret, JSON', '{"SecretAccessKey": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}', `{"SecretAccessKey": "${R}"}`],
];

describe('classes under their encodings', () => {
  it.each(cases)('%s', (_name, input, want) => {
    expect(redactText(input)).toBe(want);
    expect(redactText(want)).toBe(want);
  });
});

describe('what stays', () => {
  it.each([
    'WWW-Authenticate: Bearer realm="tellwang-diag"',
    'Bearer realm="api", error="invalid_token", error_description="The access token expired"',
    'AWS_SECRET_ACCESS_KEY is not set',
    'a sk_live_ key is needed',
    'tokens_used: 30 max_tokens=512',
  ])('%s', (t) => expect(redactText(t)).toBe(t));

  it('a challenge header is not a credential (our own request log wrote Bearer [REDACTED]"tellwang-diag")', () => {
    expect(redactHeader('www-authenticate', 'Bearer realm="tellwang-diag"')).toBe('Bearer realm="tellwang-diag"');
  });
});

describe('argv arrays in JSON', () => {
  it('the element after a secret flag goes; other flags and counters stay', () => {
    const argv = ['node', 'x.js', '--password', 'hunter2', '--token', 'abc', '--api-key', 'k1', '--port', '5432', '--max-tokens', '512', '-p', '8080', '--secret=s3', '--verbose'];
    expect(redactJson({ argv } as Json)).toEqual({
      argv: ['node', 'x.js', '--password', R, '--token', R, '--api-key', R, '--port', '5432', '--max-tokens', '512', '-p', '8080', `--secret=${R}`, '--verbose'],
    });
  });
});

describe('beyond the classes', () => {
  it('configured patterns match the decoded text too', () => {
    const acme = createRedactor({ patterns: ['ACME-[0-9]{6}'] });
    expect(acme.text('ticket ACME-123456 and ACME%2D654321 and ACME\\u002d111111')).toBe(`ticket ${R} and ${R} and ${R}`);
  });

  it('a quoted value whose closing quote is missing goes to the end of the line', () => {
    expect(redactText('password="hunter2 and more\nnext line')).toBe(`password="${R}\nnext line`);
  });
});
