/**
 * StreamParser: each line's format detected on a plain file and inside Docker
 * records, the rest kept as unparsed with why; split Docker records joined.
 * Redaction before storage is in stream-parser-redaction.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { StreamParser } from '../../../src/ingest/parsers/stream-parser.js';
import type { ContainerEvent, Event } from '../../../src/model/event.js';
import { auditLine } from '../../../scripts/formats/audit-log.js';
import { dockerRecords } from '../../../scripts/formats/docker-json-file.js';
import { capturePino } from '../../../scripts/formats/pino-lines.js';
import { pgLine } from '../../../scripts/formats/postgres-log.js';
import { CID, db, dockerStream, feed, fileStream, T } from '../../fixtures/parser-streams.js';

describe('StreamParser on a plain file', () => {
  it('detects each line\'s format; keeps the rest as unparsed with reason and line number', () => {
    const p = new StreamParser(fileStream, 1024 * 1024);
    const pino = capturePino({ correlation_id: CID }, 'cp-1');
    pino.setTime(T);
    pino.logger.info({ wok_id: 'w1' }, 'wok resolved');
    const lines = [
      pino.take()[0]!,
      auditLine({ time: T + 1, actor: 'ana', org: 'acme', action: 'wok.sql', outcome: 'failure', correlationId: CID, ip: '10.0.0.1' }),
      pgLine({ time: T + 2, pid: 6178, application: `cp:${CID}`, severity: 'ERROR', message: 'relation "x" does not exist' }),
      'just some text',
      '{"hello":"world"}',
      '{"level":30,"time":',
      JSON.stringify({ time: 'not a date', actor: 'a', action: 'x', outcome: 'success' }),
      '[1,2,3]',
      '2026-11-24 20:22:24.843 IST [12] LOG:  zone nobody can read',
    ];
    const { offsets } = feed(p, lines);
    const { events, unparsed } = p.take();
    expect(events.map((e) => [e.source, e.id, e.cid])).toEqual([
      ['cp', `f00d:${offsets[0]}`, CID],
      ['audit', `f00d:${offsets[1]}`, CID],
      ['container', `f00d:${offsets[2]}`, CID],
    ]);
    const pg = events[2] as ContainerEvent;
    expect(pg).toMatchObject({ format: 'postgres', time: T + 2, stream: 'stderr', container: { id: 'file:f00d', name: 'mixed.log', wok: null } });
    expect(unparsed.map((u) => [u.line, u.offset, u.stream, u.path])).toEqual(
      [4, 5, 6, 7, 8, 9].map((n) => [n, offsets[n - 1], 'f00d', '/var/log/mixed.log']),
    );
    expect(unparsed.map((u) => u.reason)).toEqual([
      'not JSON and not a PostgreSQL log line',
      'JSON, but no known format (pino, Docker json-file, audit, journald, PostgreSQL jsonlog)',
      'not valid JSON',
      'audit line without a valid ISO 8601 time',
      'not JSON and not a PostgreSQL log line',
      'PostgreSQL log line whose time zone "IST" is ambiguous or unknown',
    ]);
    expect(unparsed[0]!.head).toBe('just some text');
    expect(p.take()).toEqual({ events: [], unparsed: [] });
  });

  it('blank lines are not data: neither events nor unparsed', () => {
    const p = new StreamParser(fileStream, 1024);
    feed(p, ['', '   ', '\t', '\r', '\u00a0', ' \u3000\u2028', '\ufeff\u00a0']);
    expect(p.take()).toEqual({ events: [], unparsed: [] });
    feed(p, ['\u00a0x']); // only begins with white space: read
    expect(p.take().unparsed.map((u) => u.head)).toEqual(['\u00a0x']);
  });

  it('an over-long line is unparsed, truncated, with its full size; invalid UTF-8 is said', () => {
    const p = new StreamParser(fileStream, 64);
    p.push('{"level":30,"time":1,"msg":"' + 'x'.repeat(36), 0, 1, { truncated: true, bytes: 5000 });
    p.push('caf\ufffd', 5001, 2, { invalidUtf8: true });
    const { unparsed } = p.take();
    expect(unparsed.map((u) => u.reason)).toEqual([
      'line of 5000 bytes is over the length cap; kept truncated',
      'not JSON and not a PostgreSQL log line (invalid UTF-8)',
    ]);
    expect(unparsed[0]!.head.length).toBeLessThanOrEqual(240);
  });

  it('a line with invalid UTF-8 that still parses is kept, and marked', () => {
    const p = new StreamParser(fileStream, 1024);
    p.push(JSON.stringify({ level: 30, time: T, correlation_id: CID, msg: 'caf\ufffd' }), 0, 1, { invalidUtf8: true });
    expect(p.take().events[0]!.fields._invalid_utf8).toBe(true);
  });
});

describe('StreamParser on a Docker json-file stream', () => {
  it('reads pino, PostgreSQL and text inside records; other lines are unparsed', () => {
    const p = new StreamParser(dockerStream, 1024 * 1024);
    const fn = capturePino({ correlation_id: CID });
    fn.logger.warn('slow function');
    const lines = [
      ...dockerRecords({ text: pgLine({ time: T, pid: 6178, application: `cp:${CID}`, severity: 'ERROR', message: 'relation "x" does not exist' }), stream: 'stderr', time: T }),
      ...dockerRecords({ text: fn.take()[0]!, stream: 'stdout', time: T + 1 }),
      ...dockerRecords({ text: 'plain words', stream: 'stdout', time: T + 2 }),
      JSON.stringify({ level: 30, time: T, msg: 'pino outside a record' }),
      'not a record',
      '{"log":"x\\n","stream":"stdout","time":"later"}',
    ].map((l) => l.replace(/\n$/, ''));
    feed(p, lines);
    const { events, unparsed } = p.take();
    expect(events.map((e) => [(e as ContainerEvent).format, e.cid, e.level, e.time, (e as ContainerEvent).container.role])).toEqual([
      ['postgres', CID, 'error', T, 'db'],
      ['pino', CID, 'warn', T + 1, 'db'],
      ['text', null, 'info', T + 2, 'db'],
    ]);
    expect(unparsed.map((u) => [u.line, u.reason])).toEqual([
      [4, 'JSON, but not a Docker json-file record (the only lines of a container log file)'],
      [5, 'not a Docker json-file record'],
      [6, 'Docker json-file record with an unreadable time'],
    ]);
  });

  it('labels in attrs win over config.v2.json; records without attrs keep the container\'s', () => {
    const p = new StreamParser({ ...dockerStream, container: { ...db, wok: null, role: null } }, 1024 * 1024);
    const lines = [
      ...dockerRecords({ text: 'with attrs', stream: 'stdout', time: T, attrs: { 'tellwang.wok': 'w9', 'tellwang.role': 'functions' } }),
      ...dockerRecords({ text: 'without', stream: 'stdout', time: T + 1 }),
    ].map((l) => l.replace(/\n$/, ''));
    feed(p, lines);
    const [a, b] = p.take().events as ContainerEvent[];
    expect([a!.container.wok, a!.container.role, a!.wok]).toEqual(['w9', 'functions', 'w9']);
    expect([b!.container.wok, b!.container.role, b!.wok]).toEqual([null, null, null]);
  });

  it('joins a 16 KiB split line at its first record; holds the checkpoint while it is open; finish() keeps an unfinished one', () => {
    const p = new StreamParser(dockerStream, 1024 * 1024);
    const fn = capturePino({ correlation_id: CID });
    fn.logger.info({ blob: 'b'.repeat(40_000) }, 'big payload');
    const big = fn.take()[0]!;
    const parts = dockerRecords({ text: big, stream: 'stdout', time: T });
    expect(parts.length).toBe(3);
    // stderr's short line lands between the parts of stdout's long one.
    const recs = [parts[0]!, ...dockerRecords({ text: 'after', stream: 'stderr', time: T + 1 }), parts[1]!, parts[2]!].map((l) => l.replace(/\n$/, ''));
    let offset = 0;
    const offsets: number[] = [];
    recs.forEach((l, i) => {
      offsets.push(offset);
      p.push(l, offset, i + 1);
      offset += Buffer.byteLength(l) + 1;
      if (i < 3) expect(p.pendingStart()).toEqual({ offset: 0, line: 1 });
    });
    expect(p.pendingStart()).toBeNull();
    const { events } = p.take();
    // The joined line completes after the stderr line that began later, yet leaves in offset order.
    expect(events.map((e) => e.message)).toEqual(['big payload', 'after']);
    expect(events[0]).toMatchObject({ id: 'd0c4:0', cid: CID, fields: { _parts: 3 } });
    expect((events[0]!.fields.blob as string).length).toBe(40_000);

    // A stream that ends inside a split line: finish() keeps what came, marked unfinished.
    const q = new StreamParser(dockerStream, 1024 * 1024);
    q.push(recs[0]!, 0, 1);
    expect(q.take().events).toEqual([]);
    q.finish();
    const [u] = q.take().events as ContainerEvent[];
    expect(u).toMatchObject({ id: 'd0c4:0', format: 'text', fields: { _unfinished: true } });
    expect(q.pendingStart()).toBeNull();
  });
});
