import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_TERMINAL_TEXT, terminalSafe, terminalSafeBlock } from '../../src/cli/terminal-safe.js';

/** Anything a terminal would act on rather than print. */
const ACTIVE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/;

describe('terminalSafe', () => {
  it.each([
    ['OSC title', 'a\u001b]0;evil\u0007b', 'a␛b'],
    ['OSC with ST', 'a\u001b]8;;http://x\u001b\\link', 'a␛link'],
    ['CSI colour and clear', '\u001b[31mred\u001b[0m\u001b[2J', '␛red␛␛'],
    ['C1 CSI', 'x\u009b31my', 'x␛y'],
    ['CRLF forging a line', 'ok\r\nFAKE line', 'ok⏎FAKE line'],
    ['bare CR overwriting', 'secret-looking\rinnocent', 'secret-looking⏎innocent'],
    ['Unicode line separators', 'a\u2028b\u2029c\u0085d', 'a⏎b⏎c⏎d'],
    ['bidi override', 'user\u202Egnp.exe', 'user�gnp.exe'],
    ['NUL and BEL', 'a\u0000b\u0007c', 'a�b�c'],
    ['tab', 'a\tb', 'a  b'],
    ['plain text, emoji and accents', 'café ✓ 🚀', 'café ✓ 🚀'],
  ])('%s', (_name, input, out) => {
    expect(terminalSafe(input)).toBe(out);
  });

  it('leaves nothing a terminal acts on, whatever the input', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.oneof(fc.constantFrom('\u001b', '[', ']', '\u0007', '\\', '\r', '\n', '\u009b', '\u202e', 'P', '0', ';', 'm'), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })) }), (s) => {
        expect(terminalSafe(s)).not.toMatch(ACTIVE);
        for (const line of terminalSafeBlock(s).split('\n')) expect(line).not.toMatch(ACTIVE);
      }),
      { numRuns: 5000 },
    );
  });

  it('caps very long text', () => {
    expect(terminalSafe('x'.repeat(MAX_TERMINAL_TEXT + 10)).length).toBe(MAX_TERMINAL_TEXT + 1);
  });

  it('a stack keeps its lines, each made safe', () => {
    expect(terminalSafeBlock('Error: \u001b[2Jboom\n    at f (a.js:1:1)\r\n    at g')).toBe('Error: ␛boom\n    at f (a.js:1:1)\n    at g');
  });
});
