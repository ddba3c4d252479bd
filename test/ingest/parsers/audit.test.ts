import { describe, expect, it } from 'vitest';
import { isAuditRecord, parseAuditRecord } from '../../../src/ingest/parsers/audit.js';
import { isPinoRecord } from '../../../src/ingest/parsers/cp-pino.js';
import { isDockerRecord } from '../../../src/ingest/parsers/docker-json.js';
import { auditLine } from '../../../scripts/formats/audit-log.js';

const T = Date.UTC(2026, 10, 24, 20, 22, 24, 843);

function obj(line: string): Record<string, unknown> {
  return JSON.parse(line) as Record<string, unknown>;
}

describe('audit log lines', () => {
  const line = auditLine({
    time: T,
    actor: 'ana@acme.test',
    org: 'acme',
    action: 'wok.env.bulk_set',
    outcome: 'failure',
    correlationId: '5367500FBF670405',
    ip: '203.0.113.7',
    wokId: 'w1',
    extra: { vars: 3, reason: 'dotenv and vars are exclusive', code: 'CP_INVALID_BODY' },
  });

  it('is recognised as audit and as nothing else', () => {
    const o = obj(line);
    expect(isAuditRecord(o)).toBe(true);
    expect(isPinoRecord(o)).toBe(false);
    expect(isDockerRecord(o)).toBe(false);
  });

  it('reads every field the cp writes', () => {
    const e = parseAuditRecord(obj(line), 'k:0')!;
    expect(e).toEqual({
      source: 'audit',
      id: 'k:0',
      time: T,
      cid: '5367500fbf670405',
      level: 'warn',
      code: 'CP_INVALID_BODY',
      wok: 'w1',
      org: 'acme',
      message: 'ana@acme.test wok.env.bulk_set → failure',
      fields: { vars: 3, reason: 'dotenv and vars are exclusive' },
      actor: 'ana@acme.test',
      action: 'wok.env.bulk_set',
      outcome: 'failure',
      ip: '203.0.113.7',
    });
  });

  it.each([
    ['success', 'info'],
    ['failure', 'warn'],
    ['denied', 'warn'],
  ] as const)('outcome %s → level %s', (outcome, level) => {
    const e = parseAuditRecord(obj(auditLine({ time: T, actor: 'a', org: 'o', action: 'wok.create', outcome, correlationId: '0123456789abcdef', ip: '::1' })), 'k:1')!;
    expect(e.level).toBe(level);
    expect(e.wok).toBeNull();
    expect(e.fields).toEqual({});
  });

  it('accepts an ISO time with an offset, and refuses a time that is not a date', () => {
    const base = obj(line);
    expect(parseAuditRecord({ ...base, time: '2026-11-24T21:22:24.843+01:00' }, 'k')!.time).toBe(T);
    expect(parseAuditRecord({ ...base, time: 'yesterday' }, 'k')).toBeNull();
  });

  it('a correlation id that is not 16 hex is no id', () => {
    expect(parseAuditRecord({ ...obj(line), correlation_id: 'abc' }, 'k')!.cid).toBeNull();
  });
});
