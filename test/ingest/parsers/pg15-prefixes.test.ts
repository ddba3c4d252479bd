/**
 * Whole logs written by a real PostgreSQL 15 under several log_line_prefix
 * settings (test/fixtures/pg15-log-lines.ts): every line reads, the cp's
 * sessions carry their correlation ids, background processes none.
 */
import { describe, expect, it } from 'vitest';
import { compilePgPrefix } from '../../../src/ingest/parsers/pg-prefix.js';
import { parsePostgresText } from '../../../src/ingest/parsers/postgres-text.js';
import { cp, debian, debianApp, every, padded, pgbadger, type CapturedLog } from '../../fixtures/pg15-log-lines.js';

const sets: [string, CapturedLog][] = [
  ['Debian default', debian],
  ['Debian default with %a', debianApp],
  ["pgBadger's classic", pgbadger],
  ["the cp's (default)", cp],
  ['every escape', every],
  ['padded', padded],
];

function readAll(log: CapturedLog) {
  const p = compilePgPrefix(log.prefix);
  return log.lines.map((l) => ({ line: l, pg: parsePostgresText(l, p) }));
}

describe.each(sets)('a PostgreSQL 15 log with the %s prefix', (_, log) => {
  it('reads every line, with a time, a pid and a message after the severity', () => {
    for (const { line, pg } of readAll(log)) {
      expect(pg, line).not.toBeNull();
      expect(pg!.time, line).toBeGreaterThan(Date.UTC(2026, 11, 4));
      expect(pg!.pid, line).toBeGreaterThan(0);
      expect(line.endsWith(`${pg!.severity}:  ${pg!.message}`), line).toBe(true);
    }
  });

  it('background lines (the checkpointer) have no application, user or database', () => {
    const bg = readAll(log).filter((r) => r.pg!.message.startsWith('checkpoint '));
    expect(bg).toHaveLength(2);
    for (const { pg } of bg) {
      expect(pg).toMatchObject({ application: null, cid: null, severity: 'LOG' });
      expect(pg!.fields).not.toHaveProperty('user');
    }
  });
});

describe('what each prefix yields', () => {
  const error = (log: CapturedLog) => readAll(log).find((r) => r.pg!.message.startsWith('relation "missing_table_x"'))!.pg!;
  const pgadmin = (log: CapturedLog) => readAll(log).find((r) => r.pg!.message === 'division by zero')!.pg!;

  it("Debian's default has user and database but no application, so no correlation id", () => {
    expect(error(debian)).toMatchObject({ cid: null, application: null, fields: { user: 'postgres', dbname: 'postgres' }, severity: 'ERROR' });
  });

  it.each([debianApp, pgbadger, cp, every, padded])('$prefix: the cp session joins its ticket; an application name with spaces is kept whole', (log) => {
    expect(error(log)).toMatchObject({ cid: 'a1b2c3d4e5f60002', application: 'cp:a1b2c3d4e5f60002', level: 'error', message: 'relation "missing_table_x" does not exist at character 15' });
    expect(pgadmin(log)).toMatchObject({ cid: null, application: 'pgAdmin 4 - DB:postgres' });
    const idx = readAll(log).filter((r) => r.pg!.cid === 'a1b2c3d4e5f60003').map((r) => r.pg!.severity);
    expect(idx).toEqual(['ERROR', 'DETAIL', 'STATEMENT', 'LOG']);
  });

  it("pgBadger's: %t to the second, %l and %h", () => {
    expect(error(pgbadger)).toMatchObject({ time: Date.UTC(2026, 11, 4, 15, 3, 35), pid: 19011, fields: { line_num: 3, user: 'postgres', dbname: 'postgres', remote_host: '127.0.0.1' } });
  });

  it('every escape: each value under its jsonlog name', () => {
    const e = readAll(every).find((r) => r.pg!.message.startsWith('could not create unique index'))!.pg!;
    expect(e).toMatchObject({
      time: Date.UTC(2026, 11, 4, 15, 3, 44, 884),
      zone: 'UTC',
      pid: 19202,
      application: 'cp:a1b2c3d4e5f60003',
      cid: 'a1b2c3d4e5f60003',
      severity: 'ERROR',
    });
    expect(e.fields).toEqual({
      session_id: '6b12d650.4b02',
      line_num: 3,
      session_start: '2026-12-04 15:03:44 UTC',
      vxid: '3/60',
      txid: 728,
      state_code: '23505',
      backend_type: 'client backend',
      user: 'postgres',
      dbname: 'postgres',
      remote_host: '[local]',
      ps: 'CREATE INDEX',
      query_id: '7866373984873937807',
    });
    const before = readAll(every)[0]!.pg!;
    expect(before.fields).toMatchObject({ backend_type: 'not initialized', remote_host: '127.0.0.1', remote_port: 39886 });
    expect(before.fields).not.toHaveProperty('user');
  });

  it("today's default prefix does not read the fuller ones", () => {
    const fuller = debianApp.lines.find((l) => l.includes('missing_table_x') && l.includes(' ERROR:'))!;
    expect(fuller).toContain('postgres@postgres/cp:a1b2c3d4e5f60002 ERROR:');
    expect(parsePostgresText(fuller)?.cid ?? null).toBeNull();
    expect(parsePostgresText(fuller, compilePgPrefix(debianApp.prefix))!.cid).toBe('a1b2c3d4e5f60002');
  });
});
