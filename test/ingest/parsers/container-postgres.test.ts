/**
 * PostgreSQL inside a container's log records: text lines read with the
 * configured log_line_prefix, and jsonlog objects read as a jsonlog file's
 * lines are. Docker's time orders both, as every container line.
 */
import { describe, expect, it } from 'vitest';
import { parseContainerLine } from '../../../src/ingest/parsers/container-line.js';
import { compilePgPrefix } from '../../../src/ingest/parsers/pg-prefix.js';
import { StreamParser } from '../../../src/ingest/parsers/stream-parser.js';
import type { ContainerEvent, ContainerRef } from '../../../src/model/event.js';
import { dockerRecords } from '../../../scripts/formats/docker-json-file.js';
import { debianApp, jsonlog } from '../../fixtures/pg15-log-lines.js';

const T = Date.UTC(2026, 11, 4, 15, 3, 40);
const db: ContainerRef = { id: 'c'.repeat(64), name: 'wok-w1-db', wok: 'w1', role: 'db', image: 'postgres:15' };
const CID = 'a1b2c3d4e5f60002';
const fuller = compilePgPrefix(debianApp.prefix);

const errorLine = debianApp.lines.find((l) => l.includes('missing_table_x') && l.includes(' ERROR:'))!;
const errorJson = jsonlog.find((l) => l.includes('"error_severity":"ERROR"') && l.includes('missing_table_x'))!;

describe('PostgreSQL text in a container record, with the configured prefix', () => {
  it('the fuller prefix gives the cid, user and database', () => {
    const e = parseContainerLine({ id: 'k:1', text: errorLine, stream: 'stderr', time: T, container: db }, fuller);
    expect(e).toMatchObject({
      cid: CID,
      level: 'error',
      format: 'postgres',
      time: T,
      wok: 'w1',
      message: 'relation "missing_table_x" does not exist at character 15',
      fields: { pid: 18859, severity: 'ERROR', application: `cp:${CID}`, user: 'postgres', dbname: 'postgres' },
    });
  });

  it('read with the default prefix, the whole user@db/app is taken for the application: no id (what happened before the setting)', () => {
    const e = parseContainerLine({ id: 'k:1', text: errorLine, stream: 'stderr', time: T, container: db });
    expect(e).toMatchObject({ cid: null, fields: { application: `postgres@postgres/cp:${CID}` } });
  });

  it('a Docker container stream hands the prefix to every record', () => {
    const info = { key: 'dk', kind: 'docker' as const, path: '/c/x-json.log', container: db, source: 'container' as const };
    const p = new StreamParser(info, 1 << 20, fuller);
    let offset = 0;
    for (const [i, line] of debianApp.lines.entries()) {
      const rec = dockerRecords({ text: line, time: T + i, stream: 'stderr' }).join('');
      p.push(rec.slice(0, -1), offset, i + 1);
      offset += Buffer.byteLength(rec);
    }
    const { events, unparsed } = p.take();
    expect(unparsed).toEqual([]);
    expect(events.every((e) => (e as ContainerEvent).format === 'postgres')).toBe(true);
    expect(events.filter((e) => e.cid === CID).map((e) => (e as ContainerEvent).fields.severity)).toEqual(['ERROR', 'STATEMENT', 'LOG']);
  });
});

describe('PostgreSQL jsonlog in a container record', () => {
  it('is read as jsonlog: severity, cid from application_name, detail and statement; Docker time orders it', () => {
    const e = parseContainerLine({ id: 'k:2', text: errorJson, stream: 'stderr', time: T, container: db });
    expect(e).toMatchObject({
      source: 'container',
      cid: CID,
      level: 'error',
      format: 'postgres',
      time: T,
      wok: 'w1',
      stream: 'stderr',
      message: 'relation "missing_table_x" does not exist',
      lifecycle: null,
      fields: {
        severity: 'ERROR',
        pid: 18859,
        application: `cp:${CID}`,
        state_code: '42P01',
        statement: 'select * from missing_table_x',
        user: 'postgres',
        dbname: 'postgres',
        logged_time: Date.UTC(2026, 11, 4, 15, 3, 31, 182),
      },
    });
  });

  it('detail, hint and the background lines', () => {
    const dup = jsonlog.find((l) => l.includes('"detail"'))!;
    expect(parseContainerLine({ id: 'k', text: dup, stream: 'stderr', time: T, container: db })).toMatchObject({
      cid: 'a1b2c3d4e5f60003',
      fields: { detail: 'Key (a)=(1) is duplicated.', state_code: '23505' },
    });
    const ckpt = jsonlog.find((l) => l.includes('"backend_type":"checkpointer"'))!;
    const e = parseContainerLine({ id: 'k', text: ckpt, stream: 'stderr', time: T, container: db });
    expect(e).toMatchObject({ cid: null, level: 'info', format: 'postgres', fields: { backend_type: 'checkpointer' } });
    expect(e.message).toMatch(/^checkpoint /);
  });

  it('a shutdown is a lifecycle event, and an unreadable timestamp still keeps the line (Docker has the time)', () => {
    const down = JSON.stringify({ timestamp: 'later', pid: 1, error_severity: 'LOG', message: 'database system is shut down', backend_type: 'postmaster' });
    const e = parseContainerLine({ id: 'k', text: down, stream: 'stderr', time: T, container: db });
    expect(e).toMatchObject({ format: 'postgres', lifecycle: 'shutdown', time: T, message: 'database system is shut down' });
    expect(e.fields).not.toHaveProperty('logged_time');
  });
});
