/**
 * A pushed body's lines of another source than the batch was sent as are kept
 * as unparsed lines: their heads go through the batch's redactor like any
 * other unparsed line's, built-in rules and configured patterns alike.
 */
import { describe, expect, it } from 'vitest';
import { mintKey } from '../../scripts/formats/inventory-file.js';
import { parseBody } from '../../src/ingest/push/parse-body.js';
import type { StreamInfo } from '../../src/model/stream.js';
import { createRedactor } from '../../src/redact/redactor.js';
import { REDACTED } from '../../src/redact/secret-patterns.js';

const T0 = Date.UTC(2026, 10, 24, 20, 0, 0);
const info: StreamInfo = { key: 'push:shipper', kind: 'push', path: null, container: null, source: null };

describe('parseBody', () => {
  it('a line of another kind than the batch is unparsed, its head redacted by the redactor given', () => {
    const skl = mintKey('skl');
    const line = JSON.stringify({ level: 50, time: T0, pid: 1, hostname: 'cp-1', correlation_id: 'feed00000000abcd', msg: `key ${skl.key} for ACME-654321 refused` });
    const r = parseBody(info, Buffer.from(line + '\n'), 'audit', T0, createRedactor({ patterns: ['ACME-[0-9]{6}'] }));
    expect(r.events).toEqual([]);
    expect(r.unparsed).toHaveLength(1);
    const u = r.unparsed[0]!;
    expect(u.reason).toMatch(/kind=audit/);
    expect(u.head).toBe(`key ${skl.prefix}… for ${REDACTED} refused`);
  });
});
