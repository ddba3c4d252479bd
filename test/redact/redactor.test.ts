/**
 * A redactor is built once from its configuration and never changes: the
 * built-in rules always apply, each redactor adds only its own configured
 * patterns, and redactors built side by side in one process do not affect
 * each other — nor do the stores that write through them.
 */
import { describe, expect, it } from 'vitest';
import { mintKey } from '../../scripts/formats/inventory-file.js';
import { parseCpRecord } from '../../src/ingest/parsers/cp-pino.js';
import type { Json } from '../../src/model/event.js';
import { createRedactor, DEFAULT_REDACTOR, Redactor } from '../../src/redact/redactor.js';
import { REDACTED } from '../../src/redact/secret-patterns.js';
import { encodeForStore } from '../../src/store/event-codec.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';

const skl = mintKey('skl');
const LINE = `issued ACME-123456 and INT-abcdef to ${skl.key}`;

describe('Redactor', () => {
  it('the default applies the built-in rules only; a configured one adds its patterns to them', () => {
    const acme = createRedactor({ patterns: ['ACME-[0-9]{6}'] });
    expect(DEFAULT_REDACTOR.config.patterns).toEqual([]);
    expect(DEFAULT_REDACTOR.text(LINE)).toBe(`issued ACME-123456 and INT-abcdef to ${skl.prefix}…`);
    expect(acme.text(LINE)).toBe(`issued ${REDACTED} and INT-abcdef to ${skl.prefix}…`);
    // Built-in rules still apply under a configured redactor, everywhere it redacts.
    expect(acme.header('Authorization', `Bearer ${skl.key}`)).toBe(`Bearer ${skl.prefix}…`);
    expect(acme.json({ password: 'hunter2', note: 'ACME-123456' } as Json)).toEqual({ password: REDACTED, note: REDACTED });
  });

  it('two redactors with different patterns in one process do not interfere, whatever order they are built and used in', () => {
    const acme = createRedactor({ patterns: ['ACME-[0-9]{6}'] });
    const internal = createRedactor({ patterns: ['INT-[a-f0-9]{6}'] });
    expect(internal.text(LINE)).toBe(`issued ACME-123456 and ${REDACTED} to ${skl.prefix}…`);
    expect(acme.text(LINE)).toBe(`issued ${REDACTED} and INT-abcdef to ${skl.prefix}…`);
    // Building another changes neither, nor the default.
    createRedactor({ patterns: ['issued'] });
    expect(acme.text(LINE)).toBe(`issued ${REDACTED} and INT-abcdef to ${skl.prefix}…`);
    expect(internal.text(LINE)).toBe(`issued ACME-123456 and ${REDACTED} to ${skl.prefix}…`);
    expect(DEFAULT_REDACTOR.text(LINE)).toBe(`issued ACME-123456 and INT-abcdef to ${skl.prefix}…`);
  });

  it('the pre-check passes every line to a redactor with patterns, and only lines that may hold a built-in secret to the default', () => {
    const acme = createRedactor({ patterns: ['ACME-[0-9]{6}'] });
    expect(DEFAULT_REDACTOR.mayHoldSecret('ticket ACME-123456 opened')).toBe(false);
    expect(acme.mayHoldSecret('ticket ACME-123456 opened')).toBe(true);
    expect(acme.text('ticket ACME-123456 opened')).toBe(`ticket ${REDACTED} opened`);
  });

  it('is immutable: its configuration is a frozen copy, and the redactor cannot be changed', () => {
    const patterns = ['ACME-[0-9]{6}'];
    const acme = new Redactor({ patterns });
    patterns.push('INT-[a-f0-9]{6}');
    expect(acme.config.patterns).toEqual(['ACME-[0-9]{6}']);
    expect(acme.text(LINE)).toContain('INT-abcdef');
    expect(Object.isFrozen(acme) && Object.isFrozen(acme.config) && Object.isFrozen(acme.config.patterns)).toBe(true);
  });

  it('refuses, naming it, a pattern that is not valid or may backtrack without bound', () => {
    expect(() => createRedactor({ patterns: ['('] })).toThrow(/redaction pattern "\(" is not a valid regular expression/);
    expect(() => createRedactor({ patterns: ['(a+)+$'] })).toThrow('redaction pattern "(a+)+$" is refused');
  });

  it('encodes an event for storage through the redactor it is given', () => {
    const event = () => parseCpRecord({ level: 30, time: 0, pid: 1, hostname: 'cp-1', msg: 'issued ACME-123456' }, 's:0');
    expect(encodeForStore(event(), DEFAULT_REDACTOR)).toContain('issued ACME-123456');
    expect(encodeForStore(event(), createRedactor({ patterns: ['ACME-[0-9]{6}'] }))).toContain(`issued ${REDACTED}`);
  });

  it('a store writes through its own redactor: the default when none is given', async () => {
    const plain = new SqliteStore(':memory:');
    const acme = new SqliteStore(':memory:', { redactor: createRedactor({ patterns: ['ACME-[0-9]{6}'] }) });
    try {
      expect(plain.redactor).toBe(DEFAULT_REDACTOR);
      expect(acme.redactor.config.patterns).toEqual(['ACME-[0-9]{6}']);
    } finally {
      await plain.close();
      await acme.close();
    }
  });
});
