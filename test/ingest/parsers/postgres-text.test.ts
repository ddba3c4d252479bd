import { describe, expect, it } from 'vitest';
import { parsePostgresText, severityLevel } from '../../../src/ingest/parsers/postgres-text.js';
import { pgLine, type PgSeverity } from '../../../scripts/formats/postgres-log.js';

const T = Date.UTC(2026, 10, 24, 20, 22, 24, 843);
const CID = '5367500fbf670405';

describe('PostgreSQL text log lines (log_line_prefix %m [%p] %q%a )', () => {
  it('a session line whose application_name is cp:<cid>', () => {
    const line = pgLine({ time: T, pid: 6178, application: `cp:${CID}`, severity: 'ERROR', message: 'relation "missing_table" does not exist at character 15' });
    expect(line).toBe(`2026-11-24 20:22:24.843 UTC [6178] cp:${CID} ERROR:  relation "missing_table" does not exist at character 15`);
    expect(parsePostgresText(line)).toEqual({
      time: T,
      pid: 6178,
      zone: 'UTC',
      application: `cp:${CID}`,
      cid: CID,
      severity: 'ERROR',
      level: 'error',
      message: 'relation "missing_table" does not exist at character 15',
      fields: {},
    });
  });

  it.each([`cp:${CID.toUpperCase()}`, `CP:${CID}`, `Cp:${CID.toUpperCase()}`])('the id in %s, any case, is canonical', (app) => {
    const p = parsePostgresText(pgLine({ time: T, pid: 7, application: app, severity: 'ERROR', message: 'x' }))!;
    expect(p.cid).toBe(CID);
    expect(p.application).toBe(app);
  });

  it('other application names carry no id', () => {
    for (const app of ['psql', 'cp:123', `cp:${CID}0`, `cpx:${CID}`, CID]) {
      const p = parsePostgresText(pgLine({ time: T, pid: 7, application: app, severity: 'LOG', message: 'x' }))!;
      expect(p.application).toBe(app);
      expect(p.cid).toBeNull();
    }
  });

  it('background processes (%q ends the prefix) and sessions with an empty application_name', () => {
    const bg = parsePostgresText(pgLine({ time: T, pid: 1, severity: 'LOG', message: 'database system is ready to accept connections' }))!;
    expect(bg).toMatchObject({ pid: 1, application: null, cid: null, severity: 'LOG', message: 'database system is ready to accept connections' });
    const empty = parsePostgresText(`2026-11-24 20:22:24.843 UTC [88]  LOG:  connection authorized: user=postgres database=postgres`)!;
    expect(empty).toMatchObject({ pid: 88, application: null, message: 'connection authorized: user=postgres database=postgres' });
  });

  it.each([
    ['UTC', T],
    ['GMT', T],
    ['+00', T],
    ['+03', T - 3 * 3600_000],
    ['-03', T + 3 * 3600_000],
    ['+0530', T - 5.5 * 3600_000],
    ['-0930', T + 9.5 * 3600_000],
    ['CET', T - 3600_000],
    ['CEST', T - 2 * 3600_000],
    ['EST', T + 5 * 3600_000],
    ['PDT', T + 7 * 3600_000],
  ])('time zone %s', (zone, ms) => {
    const p = parsePostgresText(`2026-11-24 20:22:24.843 ${zone} [12] LOG:  checkpoint starting: time`)!;
    expect(p).not.toBeNull();
    expect(p.time).toBe(ms);
  });

  it('an ambiguous zone abbreviation still parses, without a time of its own', () => {
    const p = parsePostgresText(`2026-11-24 20:22:24.843 IST [12] LOG:  checkpoint starting: time`)!;
    expect(p.severity).toBe('LOG');
    expect(p.time).toBeNull();
  });

  it('a time without milliseconds (%t) and with microseconds', () => {
    expect(parsePostgresText(`2026-11-24 20:22:24 UTC [12] LOG:  x`)!.time).toBe(T - 843);
    expect(parsePostgresText(`2026-11-24 20:22:24.843999 UTC [12] LOG:  x`)!.time).toBe(T);
  });

  const levels: [PgSeverity | 'DEBUG5' | 'QUERY' | 'LOCATION', string][] = [
    ['DEBUG1', 'debug'],
    ['DEBUG5', 'debug'],
    ['LOG', 'info'],
    ['INFO', 'info'],
    ['NOTICE', 'info'],
    ['WARNING', 'warn'],
    ['ERROR', 'error'],
    ['FATAL', 'fatal'],
    ['PANIC', 'fatal'],
    ['DETAIL', 'info'],
    ['HINT', 'info'],
    ['QUERY', 'info'],
    ['CONTEXT', 'info'],
    ['LOCATION', 'info'],
    ['STATEMENT', 'info'],
  ];
  it.each(levels)('severity %s → %s', (sev, level) => {
    expect(severityLevel(sev)).toBe(level);
    const p = parsePostgresText(pgLine({ time: T, pid: 5, application: `cp:${CID}`, severity: sev as PgSeverity, message: 'm' }))!;
    expect(p.severity).toBe(sev);
    expect(p.level).toBe(level);
    expect(p.message).toBe('m');
  });

  it('a STATEMENT line keeps the whole statement, even past 512 characters', () => {
    const sql = `INSERT INTO t VALUES ('${'v'.repeat(800)}')`;
    const p = parsePostgresText(pgLine({ time: T, pid: 6178, application: `cp:${CID}`, severity: 'STATEMENT', message: sql }))!;
    expect(p.message).toBe(sql);
    expect(p.cid).toBe(CID);
  });

  it.each([
    'hello world',
    '2026-11-24 20:22:24.843 UTC something else',
    '2026-11-24 20:22:24.843 UTC [12] NOTALEVEL:  x',
    '2026-11-24T20:22:24.843Z [12] LOG:  x',
    '{"level":30,"msg":"LOG:  x"}',
    '',
    'LOG:  database system is ready to accept connections',
  ])('not PostgreSQL: %j', (text) => {
    expect(parsePostgresText(text)).toBeNull();
  });
});
