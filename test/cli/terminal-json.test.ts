/**
 * Every JSON the CLI prints is safe for a terminal: controls (C0, DEL, C1),
 * bidi and other format characters and U+2028/U+2029 come out as \uXXXX
 * escapes, and the JSON parses back to the text as logged. terminalJson on
 * its own, then the built CLI over a real store holding such text.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capturePino } from '../../scripts/formats/pino-lines.js';
import { terminalJson } from '../../src/cli/terminal-json.js';
import { CLI, requireBuiltCli } from '../fixtures/built-cli.js';
import { tempDir } from '../fixtures/temp-dir.js';

/** Any character a terminal acts on or that reorders or hides text. */
const ACTIVE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060-\u206f\u2028\u2029\ufeff]/;
const CID = '5e1f0a2b3c4d6e7f';
/** A "Trojan Source" name, a C1 CSI, DEL, a line separator, an isolate pair, an ALM, a BOM. */
const HOSTILE = 'user \u202Egnp.exe\u202C paid \u009b31mOK\u007f \u2028forged\u2029 \u2066isolated\u2069 \u061c \u200e\u200f \ufeff done';

function run(args: string[], input?: string): { status: number | null; stdout: Buffer; stderr: string } {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.DIAG_DB;
  const r = spawnSync(process.execPath, [CLI, ...args], { input, env, timeout: 30_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr.toString('utf8') };
}

describe('terminalJson', () => {
  it('escapes bidi controls, C1, DEL and line separators; JSON.parse gives the value back', () => {
    const v = { message: HOSTILE, [`key\u202e`]: ['\u0085', '\u0000\u001b[2J'] };
    const out = terminalJson(v, 2);
    expect(out).not.toMatch(ACTIVE);
    expect(out).toContain('\\u202e');
    expect(out).toContain('\\u009b');
    expect(out).toContain('\\u007f');
    expect(out).toContain('\\u2028');
    expect(JSON.parse(out)).toEqual(v);
  });

  it('keeps indentation, and plain text, accents and emoji as they are', () => {
    expect(terminalJson({ a: 'café ✓ 🚀' }, 2)).toBe('{\n  "a": "café ✓ 🚀"\n}');
    expect(terminalJson([1, 'x'])).toBe('[1,"x"]');
  });

  it('escapes the whole U+2060–U+206F block, its unassigned code points too', () => {
    expect(terminalJson('a\u2065b')).toBe('"a\\u2065b"');
    expect(JSON.parse(terminalJson('a\u2065b'))).toBe('a\u2065b');
  });

  it('an astral format character (a tag) is escaped as its surrogate pair', () => {
    const v = 'flag\u{E0067}\u{E007F}';
    const out = terminalJson(v);
    expect(out).toBe('"flag\\udb40\\udc67\\udb40\\udc7f"');
    expect(JSON.parse(out)).toBe(v);
  });

  it('whatever the text: nothing active comes out, and it parses back to the same value', () => {
    const unit = fc.oneof(fc.constantFrom('\u202e', '\u2066', '\u009b', '\u007f', '\u2028', '\u0000', '\n', '"', '\\', 'a'), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }));
    fc.assert(
      fc.property(fc.dictionary(fc.string({ unit }), fc.string({ unit })), fc.constantFrom(undefined, 2), (v, indent) => {
        const out = terminalJson(v, indent);
        expect(out).not.toMatch(ACTIVE);
        expect(JSON.parse(out)).toEqual(v);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('the built CLI prints JSON with every control and bidi character escaped', () => {
  const tmp = tempDir('tellwang-cli-json-');
  const db = tmp.file('diag.sqlite');
  const log = tmp.file('cp.log');

  beforeAll(() => {
    requireBuiltCli();
    const p = capturePino({ correlation_id: CID }, 'cp-1');
    p.setTime(Date.now() - 60_000);
    p.logger.error({ org: 'acme' }, HOSTILE);
    // And a line in no known format, kept in the quarantine with its text.
    writeFileSync(log, [...p.take(), `not a log line: ${HOSTILE}`].join('\n') + '\n');
    const r = run(['ingest', '--db', db, '--json', log]);
    expect([r.status, r.stderr]).toEqual([0, '']);
    expect(r.stdout.toString('utf8')).not.toMatch(ACTIVE);
  });

  afterAll(() => tmp.remove());

  /** The bytes as the terminal gets them: no raw active character, and valid JSON. */
  function jsonOf(args: string[]): unknown {
    const r = run(args);
    expect([args[0], r.status, r.stderr]).toEqual([args[0], 0, '']);
    const text = r.stdout.toString('utf8');
    expect(Buffer.from(text, 'utf8').equals(r.stdout)).toBe(true);
    expect(text.match(ACTIVE)?.[0].codePointAt(0)?.toString(16) ?? null).toBeNull();
    return JSON.parse(text);
  }

  it('ticket --json: the message escaped on screen, the same text once parsed', () => {
    const t = jsonOf(['ticket', CID, '--db', db, '--json']) as { events: { message: string }[] };
    expect(t.events.map((e) => e.message)).toContain(HOSTILE);
  });

  it('unparsed --json: the quarantined line escaped, the same text once parsed', () => {
    const u = jsonOf(['unparsed', '--db', db, '--json']) as { items: { head: string }[] };
    expect(u.items.map((i) => i.head)).toContain(`not a log line: ${HOSTILE}`);
  });

  it('stats --json and ingest --json stay valid JSON', () => {
    expect(jsonOf(['stats', '--db', db, '--json'])).toBeTypeOf('object');
    expect(jsonOf(['ingest', '--db', db, '--json', log])).toMatchObject({ stored: 0 });
  });
});
