/** PostgreSQL jsonlog lines (log_destination = 'jsonlog') as the server writes them. */
import { DEFAULT_REDACTOR } from '../../src/redact/redactor.js';
import { encodeForStore } from '../../src/store/event-codec.js';
import { describe, expect, it } from 'vitest';
import { StreamParser } from '../../src/ingest/parsers/stream-parser.js';
import { postgresStampTime } from '../../src/ingest/parsers/postgres-json.js';
import type { ContainerEvent } from '../../src/model/event.js';

const CID = '5367500fbf670405';

function jsonlog(o: Record<string, unknown>): string {
  return JSON.stringify({
    timestamp: '2026-11-24 20:22:24.843 UTC',
    user: 'wok_app',
    dbname: 'wok_7',
    pid: 6178,
    remote_host: '172.18.0.5',
    remote_port: 41766,
    session_id: '6743a1b0.1822',
    line_num: 3,
    ps: 'SELECT',
    session_start: '2026-11-24 20:22:24 UTC',
    vxid: '3/17',
    txid: 0,
    error_severity: 'ERROR',
    state_code: '42P01',
    message: 'relation "missing_table" does not exist',
    statement: 'select * from missing_table',
    cursor_position: 15,
    application_name: `cp:${CID}`,
    backend_type: 'client backend',
    query_id: 0,
    ...o,
  });
}

describe('PostgreSQL jsonlog', () => {
  it('becomes a container event with the correlation id from application_name, severity as level', () => {
    const p = new StreamParser({ key: 'pg', kind: 'file', path: '/var/lib/postgresql/data/log/postgresql.json', container: null, source: null }, 1 << 20);
    p.push(jsonlog({}), 0, 1);
    p.push(jsonlog({ error_severity: 'LOG', message: 'database system is ready to accept connections', application_name: '', backend_type: 'postmaster', state_code: '00000' }), 600, 2);
    p.push(jsonlog({ timestamp: 'soon' }), 1200, 3);
    const { events, unparsed } = p.take();
    const [e, ready] = events as ContainerEvent[];
    expect(e).toMatchObject({ source: 'container', cid: CID, level: 'error', format: 'postgres', time: Date.UTC(2026, 10, 24, 20, 22, 24, 843), message: 'relation "missing_table" does not exist' });
    expect(e!.fields).toMatchObject({ severity: 'ERROR', state_code: '42P01', statement: 'select * from missing_table', dbname: 'wok_7' });
    expect(e!.container.name).toBe('postgresql.json');
    expect(ready).toMatchObject({ cid: null, level: 'info', lifecycle: 'ready' });
    expect(unparsed.map((u) => u.reason)).toEqual(['PostgreSQL jsonlog line with an unreadable timestamp']);
  });

  it('reads zones the way the text format does', () => {
    expect(postgresStampTime('2026-11-24 21:22:24.843 +01')).toBe(Date.UTC(2026, 10, 24, 20, 22, 24, 843));
    expect(postgresStampTime('not a time')).toBeNull();
  });

  it('redacts a password in a logged statement', () => {
    const p = new StreamParser({ key: 'pg', kind: 'file', path: null, container: null, source: null }, 1 << 20);
    p.push(jsonlog({ error_severity: 'LOG', message: 'statement: ALTER ROLE app PASSWORD \'hunter2-secret\'', statement: "ALTER ROLE app PASSWORD 'hunter2-secret'" }), 0, 1);
    const { events } = p.take();
    expect(events.map((e) => encodeForStore(e, DEFAULT_REDACTOR)).join('\n')).not.toContain('hunter2-secret');
  });
});
