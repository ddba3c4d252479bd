import { describe, expect, it } from 'vitest';
import { isDockerRecord, parseDockerRecord, rfc3339ToMs } from '../../../src/ingest/parsers/docker-json.js';
import { dockerRecords, goJsonString, rfc3339Nano } from '../../../scripts/formats/docker-json-file.js';

const T = Date.UTC(2026, 10, 24, 20, 22, 24, 843);

function rec(line: string) {
  const o = JSON.parse(line) as Record<string, unknown>;
  expect(isDockerRecord(o)).toBe(true);
  return parseDockerRecord(o);
}

describe('Docker json-file records', () => {
  it('reads log, stream, time and attrs as Docker writes them', () => {
    const [line] = dockerRecords({ text: 'hello <b> & "x"', stream: 'stderr', time: T, ns: 512345, attrs: { 'tellwang.wok': 'w1', 'tellwang.role': 'db' } });
    expect(line).toContain('\\u003cb\\u003e \\u0026');
    expect(line).toContain('"time":"2026-11-24T20:22:24.843512345Z"');
    expect(rec(line!)).toEqual({ log: 'hello <b> & "x"', stream: 'stderr', time: T, attrs: { 'tellwang.wok': 'w1', 'tellwang.role': 'db' }, final: true });
  });

  it('without attrs', () => {
    const [line] = dockerRecords({ text: 'x', stream: 'stdout', time: T });
    expect(rec(line!)).toMatchObject({ attrs: null, stream: 'stdout', final: true, log: 'x' });
  });

  it.each([
    ['2026-11-24T20:22:24.843512345Z', T],
    ['2026-11-24T20:22:24.8435Z', T],
    ['2026-11-24T20:22:24.84Z', T - 3],
    ['2026-11-24T20:22:24.8Z', T - 43],
    ['2026-11-24T20:22:24Z', T - 843],
    ['2026-11-24T20:22:24.000000001Z', T - 843],
    ['2026-11-24T21:22:24.843999999+01:00', T],
    ['2026-11-24T15:52:24.843-04:30', T],
  ])('time %s', (s, ms) => {
    expect(rfc3339ToMs(s)).toBe(ms);
  });

  it('agrees with the writer for times across a range, sub-millisecond parts dropped', () => {
    for (let i = 0; i < 2000; i++) {
      const ms = T + i * 7919;
      const ns = (i * 104729) % 1_000_000;
      expect(rfc3339ToMs(rfc3339Nano(ms, ns))).toBe(ms);
    }
  });

  it('a time that is not RFC 3339 makes no record', () => {
    expect(parseDockerRecord({ log: 'x\n', stream: 'stdout', time: 'noon' })).toBeNull();
  });

  it('a part of a split line has no trailing newline; CRLF endings are dropped whole', () => {
    expect(rec(`{"log":"part","stream":"stdout","time":"2026-11-24T20:22:24.843Z"}`)).toMatchObject({ log: 'part', final: false });
    expect(rec(`{"log":"windows\\r\\n","stream":"stdout","time":"2026-11-24T20:22:24.843Z"}`)).toMatchObject({ log: 'windows', final: true });
    expect(rec(`{"log":"\\n","stream":"stdout","time":"2026-11-24T20:22:24.843Z"}`)).toMatchObject({ log: '', final: true });
  });

  it('decodes Go escapes (\\u2028, control characters)', () => {
    const text = 'a\u2028b\u0001c\td';
    expect(goJsonString(text)).toBe('"a\\u2028b\\u0001c\\td"');
    const [line] = dockerRecords({ text, stream: 'stdout', time: T });
    expect(rec(line!)!.log).toBe(text);
  });
});
