/**
 * The stream parser hands its log_line_prefix to every place PostgreSQL text
 * can sit: a log file of its own, journald entries (a container's through
 * Docker's journald driver, and a unit's: PostgreSQL run as a service), and a
 * pushed body. Lines a real PostgreSQL 15 wrote (test/fixtures/pg15-log-lines.ts).
 */
import { describe, expect, it } from 'vitest';
import { compilePgPrefix } from '../../src/ingest/parsers/pg-prefix.js';
import { StreamParser } from '../../src/ingest/parsers/stream-parser.js';
import { parseBody } from '../../src/ingest/push/parse-body.js';
import type { ContainerEvent } from '../../src/model/event.js';
import type { StreamInfo } from '../../src/model/stream.js';
import { DEFAULT_REDACTOR } from '../../src/redact/redactor.js';
import { debianApp, every } from '../fixtures/pg15-log-lines.js';
import { journalLine } from './journal-lines.js';

const CID = 'a1b2c3d4e5f60002';
const T = Date.UTC(2026, 11, 4, 15, 3, 31);
const DB = { id: 'e1'.repeat(32), name: 'wok-9-db', image: 'postgres:15', wok: 'wok-9', role: 'db' };
const file: StreamInfo = { key: 'f0', kind: 'file', path: '/var/log/postgresql/postgresql-15-main.log', container: null, source: null };
const pipe: StreamInfo = { key: 'j0', kind: 'stdin', path: null, container: null, source: null };
const errorLine = debianApp.lines.find((l) => l.includes('missing_table_x') && l.includes(' ERROR:'))!;

function feed(info: StreamInfo, lines: string[], prefix: string) {
  const p = new StreamParser(info, 1 << 20, compilePgPrefix(prefix));
  let off = 0;
  lines.forEach((l, i) => {
    p.push(l, off, i + 1);
    off += Buffer.byteLength(l) + 1;
  });
  p.finish();
  return p.take();
}

describe('PostgreSQL text with a configured prefix', () => {
  it('a log file of its own: each line at its own time, with its values', () => {
    const { events, unparsed } = feed(file, every.lines, every.prefix);
    expect(unparsed).toEqual([]);
    expect(events).toHaveLength(every.lines.length);
    const e = events.find((x) => x.cid === CID && x.level === 'error') as ContainerEvent;
    expect(e).toMatchObject({ time: Date.UTC(2026, 11, 4, 15, 3, 44, 747), format: 'postgres', container: { name: 'postgresql-15-main.log' } });
    expect(e.fields).toMatchObject({ pid: 19194, state_code: '42P01', session_id: '6b12d650.4afa', remote_host: '127.0.0.1', remote_port: 39886, ps: 'SELECT' });
  });

  it('a prefix without a time: the file\'s lines are kept as unparsed, saying why', () => {
    const { events, unparsed } = feed(file, ['[42] cp:a1b2c3d4e5f60002 ERROR:  x'], '[%p] %q%a ');
    expect(events).toEqual([]);
    expect(unparsed.map((u) => u.reason)).toEqual(['PostgreSQL log line with no time (log_line_prefix "[%p] %q%a " prints none of %m, %t, %n)']);
  });

  it("journald: a container's entry and a unit's", () => {
    const { events, unparsed } = feed(
      pipe,
      [
        journalLine({ time: T, message: errorLine, priority: 3, container: DB }),
        journalLine({ time: T + 1, message: errorLine, priority: 3, unit: 'postgresql@15-main.service', identifier: 'postgres' }),
      ],
      debianApp.prefix,
    );
    expect(unparsed).toEqual([]);
    expect(events.map((e) => [e.cid, (e as ContainerEvent).format, (e as ContainerEvent).container.name])).toEqual([
      [CID, 'postgres', 'wok-9-db'],
      [CID, 'postgres', 'postgresql@15-main.service'],
    ]);
    expect((events[1] as ContainerEvent).fields).toMatchObject({ user: 'postgres', dbname: 'postgres', unit: 'postgresql@15-main.service' });
  });

  it('a pushed body', () => {
    const body = Buffer.from(debianApp.lines.join('\n'));
    const r = parseBody(pipe, body, 'auto', T, DEFAULT_REDACTOR, null, compilePgPrefix(debianApp.prefix));
    expect(r.unparsed).toEqual([]);
    expect(r.events.filter((e) => e.cid === CID).map((e) => e.message)).toEqual(['relation "missing_table_x" does not exist at character 15', 'select * from missing_table_x', expect.stringMatching(/^disconnection: /)]);
  });
});
