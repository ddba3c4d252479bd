/**
 * journalctl -o json lines through the stream parser as a file or pipe reads
 * them: Docker's journald driver (container, labels, 16 KiB partials joined
 * per container, interleaved), units (the cp as a service: its pino lines are
 * cp events), byte-array and left-out MESSAGE values.
 */
import { DEFAULT_REDACTOR } from '../../src/redact/redactor.js';
import { encodeForStore } from '../../src/store/event-codec.js';
import { describe, expect, it } from 'vitest';
import { pgLine } from '../../scripts/formats/postgres-log.js';
import { StreamParser } from '../../src/ingest/parsers/stream-parser.js';
import { journaldTime, journaldValue } from '../../src/ingest/parsers/journald.js';
import type { ContainerEvent, CpEvent } from '../../src/model/event.js';
import type { StreamInfo } from '../../src/model/stream.js';
import { journalLine } from './journal-lines.js';

const T = Date.UTC(2026, 10, 24, 20, 22, 24, 843);
const CID = '5367500fbf670405';
const DB = { id: 'e1'.repeat(32), name: 'wok-7-db', image: 'postgres:16', wok: 'wok-7', role: 'db' };
const FN = { id: 'f2'.repeat(32), name: 'wok-7-fn', image: 'tellwang/fn:3', wok: 'wok-7', role: 'functions' };
const stream: StreamInfo = { key: 'j0', kind: 'stdin', path: null, container: null, source: null };

function feed(lines: string[]): { p: StreamParser; offsets: number[] } {
  const p = new StreamParser(stream, 1024 * 1024);
  const offsets: number[] = [];
  let off = 0;
  lines.forEach((l, i) => {
    offsets.push(off);
    p.push(l, off, i + 1);
    off += Buffer.byteLength(l) + 1;
  });
  return { p, offsets };
}

describe('journald (journalctl -o json)', () => {
  it("reads Docker's journald driver: container, labels, PostgreSQL text with the cp's correlation id, µs times", () => {
    const msg = pgLine({ time: T, pid: 6178, application: `cp:${CID}`, severity: 'ERROR', message: 'relation "missing_table" does not exist' });
    const { p } = feed([journalLine({ time: T + 5, us: 512, message: msg, priority: 3, container: DB })]);
    const { events, unparsed } = p.take();
    expect(unparsed).toEqual([]);
    const e = events[0] as ContainerEvent;
    expect(e).toMatchObject({ source: 'container', cid: CID, level: 'error', format: 'postgres', stream: 'stderr', wok: 'wok-7', time: T + 5 });
    expect(e.container).toEqual({ id: DB.id, name: 'wok-7-db', wok: 'wok-7', role: 'db', image: 'postgres:16' });
    expect(journaldTime({ __REALTIME_TIMESTAMP: '1795555344843512' })).toBe(1795555344843);
  });

  it('joins CONTAINER_PARTIAL_MESSAGE parts per container, with other containers interleaved, and holds the checkpoint at the open line', () => {
    const long = JSON.stringify({ level: 50, time: T, msg: 'handler failed', correlation_id: CID, body: 'b'.repeat(40_000) });
    const parts = [long.slice(0, 16384), long.slice(16384, 32768), long.slice(32768)];
    const other = JSON.stringify({ level: 30, time: T, msg: 'listening', correlation_id: 'aaaaaaaaaaaaaaaa' });
    const lines = [
      journalLine({ time: T, message: parts[0]!, container: { ...FN, partial: true } }),
      journalLine({ time: T + 1, message: other, container: DB }),
      journalLine({ time: T, message: parts[1]!, container: { ...FN, partial: true } }),
    ];
    const { p, offsets } = feed(lines);
    expect(p.pendingStart()).toEqual({ offset: 0, line: 1 });
    expect(p.take().events.map((e) => e.cid)).toEqual(['aaaaaaaaaaaaaaaa']);
    const off3 = offsets[2]! + Buffer.byteLength(lines[2]!) + 1;
    p.push(journalLine({ time: T, message: parts[2]!, container: FN }), off3, 4);
    expect(p.pendingStart()).toBeNull();
    const [e] = p.take().events as ContainerEvent[];
    expect(e!.id).toBe('j0:0');
    expect(e).toMatchObject({ cid: CID, level: 'error', format: 'pino', message: 'handler failed', container: { name: 'wok-7-fn' } });
    expect(e!.fields._parts).toBe(3);
  });

  it('the cp run as a systemd unit: its pino lines are cp events; other unit lines keep the journal priority', () => {
    const cp = JSON.stringify({ level: 30, time: T, pid: 4242, hostname: 'cp-1', req: { id: CID, method: 'GET', url: '/v1/woks/wok-7' }, res: { statusCode: 404 }, responseTime: 3, msg: 'request completed' });
    const { p } = feed([
      journalLine({ time: T + 1, message: cp }),
      journalLine({ time: T + 2, message: 'Started TellWang control plane.', unit: 'init.scope', identifier: 'systemd' }),
      journalLine({ time: T + 3, message: 'disk almost full', priority: 4, unit: 'tellwang-cp.service' }),
    ]);
    const [a, b, c] = p.take().events;
    expect(a).toMatchObject({ source: 'cp', cid: CID, level: 'warn', http: { status: 404, path: '/v1/woks/wok-7' } });
    expect((a as CpEvent).fields.unit).toBe('tellwang-cp.service');
    expect(b).toMatchObject({ source: 'container', level: 'info', container: { id: 'unit:init.scope' }, message: 'Started TellWang control plane.' });
    expect(c).toMatchObject({ source: 'container', level: 'warn', container: { id: 'unit:tellwang-cp.service' } });
  });

  it('MESSAGE as bytes is decoded (invalid UTF-8 replaced and marked); a left-out MESSAGE is unparsed with why', () => {
    const bytes = [...Buffer.from('caf'), 0xe9, ...Buffer.from(' ok')];
    const { p } = feed([
      journalLine({ time: T, message: bytes, unit: 'x.service' }),
      journalLine({ time: T, message: null, unit: 'x.service' }),
      journalLine({ time: T, message: ['first', 'second'], unit: 'x.service' }),
    ]);
    const { events, unparsed } = p.take();
    expect(events[0]!.message).toBe('caf\ufffd ok');
    expect(events[0]!.fields._invalid_utf8).toBe(true);
    expect(events[1]!.message).toBe('first\nsecond');
    expect(unparsed).toHaveLength(1);
    expect(unparsed[0]!.reason).toMatch(/--all/);
    expect(journaldValue([104, 105])).toEqual({ text: 'hi', invalidUtf8: false });
  });

  it('redacts secrets in journal entries, and an unreadable timestamp is unparsed', () => {
    const key = 'skl_' + '1234abcd' + 'e'.repeat(56);
    const { p } = feed([
      journalLine({ time: T, message: `calling cp with Authorization: Bearer ${key}`, unit: 'worker.service' }),
      journalLine({ time: T, message: 'x', unit: 'worker.service', extra: { __REALTIME_TIMESTAMP: 'yesterday' } }),
    ]);
    const { events, unparsed } = p.take();
    expect(JSON.stringify(events)).toContain(key); // the parser keeps it; the store's encoder removes it
    expect(events.map((e) => encodeForStore(e, DEFAULT_REDACTOR)).join('\n')).not.toContain(key);
    expect(unparsed[0]!.reason).toMatch(/__REALTIME_TIMESTAMP/);
  });
});
