/** log_line_prefix compiled into a matcher: every escape PostgreSQL 15 documents, padding, %q, and refused prefixes. */
import { describe, expect, it } from 'vitest';
import { compilePgPrefix, DEFAULT_PG_LOG_LINE_PREFIX, PgPrefixError } from '../../../src/ingest/parsers/pg-prefix.js';
import { parsePostgresText } from '../../../src/ingest/parsers/postgres-text.js';

const T = Date.UTC(2026, 11, 4, 15, 3, 44, 747);
const S = Date.UTC(2026, 11, 4, 15, 3, 44);

function read(prefix: string, line: string) {
  return parsePostgresText(line, compilePgPrefix(prefix));
}

describe('each escape of log_line_prefix', () => {
  // Values as a PostgreSQL 15 server printed them (test/fixtures/pg15-log-lines.ts, the `every` set).
  it.each([
    ['%a', 'cp:a1b2c3d4e5f60002', { application: 'cp:a1b2c3d4e5f60002', cid: 'a1b2c3d4e5f60002' }],
    ['%a', '[unknown]', { application: null, cid: null }],
    ['%u', 'postgres', { fields: { user: 'postgres' } }],
    ['%d', 'wok_7', { fields: { dbname: 'wok_7' } }],
    ['%r', '127.0.0.1(39886)', { fields: { remote_host: '127.0.0.1', remote_port: 39886 } }],
    ['%r', '[local]', { fields: { remote_host: '[local]' } }],
    ['%h', '172.18.0.5', { fields: { remote_host: '172.18.0.5' } }],
    ['%b', 'client backend', { fields: { backend_type: 'client backend' } }],
    ['%p', '19194', { pid: 19194 }],
    ['%P', '19190', { fields: { leader_pid: 19190 } }],
    ['%t', '2026-12-04 15:03:44 UTC', { time: S, zone: 'UTC' }],
    ['%m', '2026-12-04 15:03:44.747 UTC', { time: T, zone: 'UTC' }],
    ['%m', '2026-12-04 18:03:44.747 +03', { time: T, zone: '+03' }],
    ['%n', '1796396624.747', { time: T, zone: null }],
    ['%i', 'idle in transaction (aborted)', { fields: { ps: 'idle in transaction (aborted)' } }],
    ['%e', '42P01', { fields: { state_code: '42P01' } }],
    ['%c', '6b12d650.4afa', { fields: { session_id: '6b12d650.4afa' } }],
    ['%l', '3', { fields: { line_num: 3 } }],
    ['%s', '2026-12-04 15:03:44 UTC', { fields: { session_start: '2026-12-04 15:03:44 UTC' } }],
    ['%v', '3/58', { fields: { vxid: '3/58' } }],
    ['%x', '728', { fields: { txid: 728 } }],
    ['%Q', '-8441324848661855122', { fields: { query_id: '-8441324848661855122' } }],
  ])('%s: %j', (esc, value, want) => {
    const p = read(`<${esc}> `, `<${value}> ERROR:  relation "missing_table_x" does not exist`)!;
    expect(p).toMatchObject({ severity: 'ERROR', level: 'error', message: 'relation "missing_table_x" does not exist', ...want });
  });

  it('%% is a literal %, and %q prints nothing', () => {
    expect(read('%%%p%% ', '%42% LOG:  x')).toMatchObject({ pid: 42, message: 'x' });
    expect(read('[%p] %q%u ', '[42] app LOG:  x')).toMatchObject({ pid: 42, fields: { user: 'app' } });
    expect(read('[%p] %q%u ', '[42] LOG:  x')).toMatchObject({ pid: 42, fields: {} });
  });

  it('%n wins over %m, and %m over %t, whatever their order', () => {
    expect(read('%t %m %n ', '2026-12-04 15:03:44 UTC 2026-12-04 18:03:44.747 +03 1796396624.747 LOG:  x')!.time).toBe(T);
    expect(read('%m %t ', '2026-12-04 15:03:44.747 UTC 2026-12-04 15:03:44 UTC LOG:  x')!.time).toBe(T);
  });

  it('empty values (a background process without %q) are left out', () => {
    expect(read('[%p]: user=%u,db=%d,app=%a,client=%h ', '[18629]: user=,db=,app=,client= LOG:  checkpoint starting: time')).toMatchObject({ pid: 18629, application: null, fields: {} });
  });

  it('padding: %10p is right-aligned, %-12u left-aligned, and both come out trimmed', () => {
    const prefix = '%m [%10p] %q%-12u %-10d %a ';
    expect(read(prefix, '2026-12-04 15:03:47.805 UTC [     19267] postgres     postgres   cp:a1b2c3d4e5f60002 ERROR:  x')).toMatchObject({ pid: 19267, application: 'cp:a1b2c3d4e5f60002', fields: { user: 'postgres', dbname: 'postgres' } });
    expect(read(prefix, '2026-12-04 15:03:48.124 UTC [     18629] LOG:  checkpoint starting: immediate force wait')).toMatchObject({ pid: 18629, application: null, fields: {} });
    // A value longer than its padding is printed whole.
    expect(read('%-3p|', '123456|LOG:  x')).toMatchObject({ pid: 123456 });
    expect(read('%-8p|', '42      |LOG:  x')).toMatchObject({ pid: 42 });
  });

  it('the last free-text value may hold spaces and its delimiter; an earlier one ends where the literal after it appears', () => {
    expect(read('%m [%p] %q%u@%d/%a ', '2026-12-04 15:03:32.299 UTC [18900] postgres@postgres/pgAdmin 4 - DB:postgres ERROR:  division by zero')).toMatchObject({
      application: 'pgAdmin 4 - DB:postgres',
      fields: { user: 'postgres', dbname: 'postgres' },
      message: 'division by zero',
    });
    expect(read('%a ', 'a b/c LOG:  x')).toMatchObject({ application: 'a b/c' });
    // An earlier value ends where the whole literal after it appears: it may hold a comma, not ",pid=".
    expect(read('app=%a,pid=%p ', 'app=a,b,pid=7 LOG:  x')).toMatchObject({ application: 'a,b', pid: 7 });
    expect(read('user=%u,db=%d,app=%a,client=%h ', 'user=x,db=y,app=My App, v2,client=10.0.0.4 LOG:  x')).toMatchObject({ application: 'My App, v2', fields: { remote_host: '10.0.0.4' } });
    // One character after it: the value cannot hold that character.
    expect(read('%u@%d ', 'a@b@c LOG:  x')).toMatchObject({ fields: { user: 'a', dbname: 'b@c' } });
    expect(read('%a:%p ', 'cp:a1b2c3d4e5f60002:7 LOG:  x')).toBeNull();
  });

  it('a free-text value longer than its bound does not match (bounded work per line)', () => {
    expect(read('%u@%d ', `${'u'.repeat(65)}@db LOG:  x`)).toBeNull();
    expect(read('%u@%d ', `${'u'.repeat(63)}@db LOG:  x`)).toMatchObject({ fields: { user: 'u'.repeat(63), dbname: 'db' } });
  });

  it('a line of another shape is not PostgreSQL', () => {
    const p = compilePgPrefix('%m [%p] %q%u@%d/%a ');
    for (const line of ['hello', '2026-12-04 15:03:32.299 UTC [18900] postgres@postgres/psql NOTALEVEL:  x', '{"msg":"LOG:  x"}', '']) expect(parsePostgresText(line, p)).toBeNull();
  });

  it('a long hostile line is matched in bounded time', () => {
    const p = compilePgPrefix('%m [%p] %q%u@%d/%a %r %i|');
    const line = `2026-12-04 15:03:32.299 UTC [1] ${'@/'.repeat(20_000)} ${'x '.repeat(50_000)}`;
    const started = performance.now();
    for (let i = 0; i < 100; i++) expect(parsePostgresText(line, p)).toBeNull();
    expect(performance.now() - started).toBeLessThan(500);
  });
});

describe('refused prefixes', () => {
  it.each([
    ['%m [%p] %z ', 'log_line_prefix "%m [%p] %z ": unknown escape "%z" at character 9 (PostgreSQL 15 knows %a %u %d %r %h %b %p %P %t %m %n %i %e %c %l %s %v %x %q %Q %%)'],
    ['%m %-10y', 'unknown escape "%-10y" at character 4'],
    ['%m [%p] %', 'ends with an incomplete escape "%"'],
    ['%m %-10', 'ends with an incomplete escape "%-10"'],
    ['%m %u%d ', 'the user name (character 4) is followed directly by %d, so nothing marks where it ends'],
    ['%m %a%q%p ', 'the application name (character 4) is followed directly by %p'],
  ])('%j', (prefix, message) => {
    expect(() => compilePgPrefix(prefix)).toThrow(PgPrefixError);
    expect(() => compilePgPrefix(prefix)).toThrow(message);
  });

  it('errors are one line', () => {
    expect(() => compilePgPrefix('%m\n%k')).toThrow(/^log_line_prefix "%m\\n%k": unknown escape "%k" at character 4 [^\n]+$/);
  });

  it('the default is the cp databases\' prefix, and an empty prefix reads bare lines', () => {
    expect(DEFAULT_PG_LOG_LINE_PREFIX).toBe('%m [%p] %q%a ');
    expect(read('', 'ERROR:  x')).toMatchObject({ time: null, pid: null, severity: 'ERROR', message: 'x' });
  });
});
