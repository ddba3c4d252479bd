/**
 * `ingest` with DIAG_PG_LOG_LINE_PREFIX (or --pg-log-line-prefix), through the
 * built CLI: a db container whose Docker log holds PostgreSQL 15 text written
 * with `%m [%p] %q%u@%d/%a ` and jsonlog objects joins the cp's ticket, on the
 * parser threads (bulk) and on one thread alike; a prefix that cannot be read
 * stops the command before anything is read. Needs `npx tsc -p tsconfig.json`.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBuiltCli, runCli } from '../fixtures/built-cli.js';
import { writeContainerDir } from '../fixtures/docker-dir.js';
import { debianApp, jsonlog, pgbadger } from '../fixtures/pg15-log-lines.js';
import { tempDir } from '../fixtures/temp-dir.js';

const CID = 'a1b2c3d4e5f60002';
const T = Date.UTC(2026, 11, 4, 15, 3, 31);
const tmp = tempDir('diag-pg-prefix-cli-');
const containers = tmp.file('containers');

interface TicketJson {
  correlation_id: string;
  events: { source: string; message: string; level: string; container?: { wok: string | null } }[];
}

beforeAll(() => {
  requireBuiltCli();
  writeContainerDir(containers, {
    name: 'wok-w9-db',
    wok: 'w9',
    role: 'db',
    image: 'postgres:15',
    lines: [
      ...debianApp.lines.map((text, i) => ({ text, time: T + i * 10, stream: 'stderr' as const })),
      ...jsonlog.map((text, i) => ({ text, time: T + 5 + i * 10, stream: 'stderr' as const })),
    ],
  });
  writeFileSync(tmp.file('postgresql.log'), pgbadger.lines.join('\n') + '\n');
});

afterAll(() => tmp.remove());

async function ticket(db: string, cid = CID): Promise<TicketJson | null> {
  const r = await runCli(['ticket', cid, '--db', db, '--json']);
  return r.code === 0 ? (JSON.parse(r.out) as TicketJson) : null;
}

const TEXT_ERROR = 'relation "missing_table_x" does not exist at character 15';
const JSON_ERROR = 'relation "missing_table_x" does not exist';

describe('ingest with the PostgreSQL prefix set', () => {
  it.each([
    ['parser threads (bulk)', ['--threads', '2']],
    ['one thread', ['--threads', '0']],
  ])('%s: text and jsonlog lines of the db container join the ticket', async (_, threads) => {
    const db = tmp.file(`${threads[1]}.sqlite`);
    const r = await runCli(['ingest', containers, '--db', db, '--final', '--json', ...threads], { env: { DIAG_PG_LOG_LINE_PREFIX: debianApp.prefix } });
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ unparsed: 0 });
    const t = (await ticket(db))!;
    expect(t).not.toBeNull();
    const mine = t.events.filter((e) => e.source === 'container');
    expect(mine.map((e) => e.message)).toEqual(expect.arrayContaining([TEXT_ERROR, 'select * from missing_table_x', JSON_ERROR]));
    expect(mine.every((e) => e.container?.wok === 'w9')).toBe(true);
    expect(mine.filter((e) => e.level === 'error')).toHaveLength(2);
    // The other cp session in the same log has its own ticket.
    expect((await ticket(db, 'a1b2c3d4e5f60003'))!.events.map((e) => e.message)).toContain('Key (a)=(1) is duplicated.');
  });

  it('--pg-log-line-prefix does the same, and wins over the environment', async () => {
    const db = tmp.file('flag.sqlite');
    const r = await runCli(['ingest', containers, '--db', db, '--final', '--pg-log-line-prefix', debianApp.prefix], { env: { DIAG_PG_LOG_LINE_PREFIX: '%t ' } });
    expect(r.code).toBe(0);
    expect((await ticket(db))!.events.map((e) => e.message)).toContain(TEXT_ERROR);
  });

  it("without it the text lines read as the default prefix join nothing: only jsonlog's do", async () => {
    const db = tmp.file('default.sqlite');
    expect((await runCli(['ingest', containers, '--db', db, '--final'])).code).toBe(0);
    const messages = (await ticket(db))!.events.map((e) => e.message);
    expect(messages).toContain(JSON_ERROR);
    expect(messages).not.toContain(TEXT_ERROR);
  });

  it("a PostgreSQL log file of its own, pgBadger's prefix: times from %t, the cp session's lines join", async () => {
    const db = tmp.file('file.sqlite');
    const r = await runCli(['ingest', tmp.file('postgresql.log'), '--db', db, '--final', '--json'], { env: { DIAG_PG_LOG_LINE_PREFIX: pgbadger.prefix } });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ unparsed: 0, events: { container: pgbadger.lines.length } });
    const t = (await ticket(db))!;
    expect(t.events.map((e) => e.message)).toEqual([TEXT_ERROR, 'select * from missing_table_x', expect.stringMatching(/^disconnection: /)]);
  });
});

describe('a prefix that cannot be read', () => {
  it('in the environment: exit 1 and one line naming it, nothing read', async () => {
    const db = tmp.file('bad-env.sqlite');
    const r = await runCli(['ingest', containers, '--db', db], { env: { DIAG_PG_LOG_LINE_PREFIX: '%m [%p] %k ' } });
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toBe(
      'tellwang-diag: environment variable DIAG_PG_LOG_LINE_PREFIX: log_line_prefix "%m [%p] %k ": unknown escape "%k" at character 9 (PostgreSQL 15 knows %a %u %d %r %h %b %p %P %t %m %n %i %e %c %l %s %v %x %q %Q %%)\n',
    );
  });

  it('refused by serve too, before it listens', async () => {
    const r = await runCli(['serve', '--db', tmp.file('bad-serve.sqlite'), '--port', '0'], { env: { DIAG_PG_LOG_LINE_PREFIX: '%u%d ' }, timeoutMs: 20_000 });
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err.trim().split('\n')).toEqual([expect.stringContaining('DIAG_PG_LOG_LINE_PREFIX: log_line_prefix "%u%d ": the user name (character 1) is followed directly by %d')]);
  });

  it('as --pg-log-line-prefix: exit 2 and one line', async () => {
    const r = await runCli(['ingest', containers, '--db', tmp.file('bad-flag.sqlite'), '--pg-log-line-prefix', '%m %']);
    expect(r.code).toBe(2);
    expect(r.err).toBe('tellwang-diag: --pg-log-line-prefix: log_line_prefix "%m %" ends with an incomplete escape "%"\n');
  });
});
