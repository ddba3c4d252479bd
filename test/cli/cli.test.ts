/**
 * The built CLI, spawned as a user runs it: `ingest` (files and stdin),
 * `ticket` (text and --json), and its exit codes and messages.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/project-root.js';
import { auditLine } from '../../scripts/formats/audit-log.js';
import { mintKey } from '../../scripts/formats/inventory-file.js';
import { capturePino } from '../../scripts/formats/pino-lines.js';
import { pgLine, pgShutdown } from '../../scripts/formats/postgres-log.js';
import { runCp, type CpRun } from '../fixtures/cp-app.js';
import { containerId, dockerLog, writeContainer, type ContainerSpec } from '../fixtures/docker-dir.js';
import { tempDir } from '../fixtures/temp-dir.js';
import { requireBuiltCli } from '../fixtures/built-cli.js';

const CLI = path.join(projectRoot(), 'dist', 'src', 'cli.js');
const CID = '0f1e2d3c4b5a6978';
const EVIL = 'stmt failed\u001b]0;evil\u0007\r\n2026-11-24 20:22:24.843 [cp] INFO  all good, ticket closed\u001b[2J\u009b31m';

interface Result {
  status: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], input?: string | Buffer, extraEnv: Record<string, string> = {}): Result {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ...extraEnv };
  delete env.DIAG_DB;
  const r = spawnSync(process.execPath, [CLI, ...args], { input, encoding: 'utf8', env, timeout: 30_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const tmp = tempDir('tellwang-cli-');
const dbFile = path.join(tmp.dir, 'diag.sqlite');
const key = mintKey('skl');
let run: CpRun;
let t0 = 0;

beforeAll(async () => {
  // dist/ is built before the suite (`npm test` runs tsc first), never here: rebuilding it while another test file
  // runs a command from it can load a half-written module (and the build's CPU load slowed every other file).
  requireBuiltCli();
  run = await runCp('correlation-id', [
    { method: 'POST', path: '/v1/woks/w7/sql', headers: { 'x-correlation-id': CID, authorization: `Bearer ${key.key}` } },
  ]);
  t0 = (JSON.parse(run.lines[0]!) as { time: number }).time;
  const logs = path.join(tmp.dir, 'logs');
  mkdirSync(logs, { recursive: true });
  // Log text is hostile: an OSC title change, a forged line after CR LF, a screen clear, a C1 CSI.
  const p = capturePino({ correlation_id: CID }, 'cp-1');
  p.setTime(t0 + 1);
  p.logger.error({ org: 'acme\u001b[31m' }, EVIL);
  writeFileSync(path.join(logs, 'cp.log'), [...run.lines, ...p.take()].join('\n') + '\n');
  writeFileSync(
    path.join(logs, 'audit.log'),
    auditLine({ time: t0 + 2, actor: 'ana@acme.test', org: 'acme', action: 'wok.sql.exec', outcome: 'failure', correlationId: CID, ip: '203.0.113.7', wokId: 'w7' }) + '\n',
  );
  const db: ContainerSpec = { id: containerId('cl'), name: 'wok-w7-db\u001b]0;pwn\u0007', image: 'postgres:16', labels: { 'tellwang.wok': 'w7', 'tellwang.role': 'db' }, created: t0 - 60_000 };
  writeContainer(
    path.join(logs, 'containers'),
    db,
    dockerLog(db, [
      ...pgShutdown(t0 - 1000).map((l) => ({ text: pgLine(l), stream: 'stderr' as const, time: l.time })),
      { text: pgLine({ time: t0 + 3, pid: 9, application: `cp:${CID}`, severity: 'ERROR', message: 'permission denied for table t' }), stream: 'stderr', time: t0 + 3 },
    ]),
  );
  writeFileSync(path.join(logs, 'junk.txt'), 'hello\n');
});

afterAll(() => tmp.remove());

describe('tellwang-diag ingest', () => {
  it('prints counts per source and unparsed', () => {
    const r = cli(['ingest', '--db', dbFile, path.join(tmp.dir, 'logs')]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^read \d+ lines .* from 4 streams in [\d.]+ s — \d+ lines\/s$/m);
    expect(r.stdout).toMatch(new RegExp(`^  cp\\s+${run.lines.length + 1}$`, 'm'));
    expect(r.stdout).toMatch(/^ {2}container\s+7$/m);
    expect(r.stdout).toMatch(/^ {2}audit\s+1$/m);
    expect(r.stdout).toMatch(/^ {2}unparsed\s+1 /m);
    const again = cli(['ingest', '--db', dbFile, '--json', path.join(tmp.dir, 'logs')]);
    expect(again.status).toBe(0);
    const j = JSON.parse(again.stdout) as { stored: number; lines: number; events: Record<string, number> };
    expect(j).toMatchObject({ stored: 0, lines: 0, events: { cp: 0, container: 0, audit: 0 } });
  });

  it('lists unparsed lines with file and line number', () => {
    const r = cli(['unparsed', '--db', dbFile]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`${path.join(tmp.dir, 'logs', 'junk.txt')}:1`);
    expect(r.stdout).toContain('not JSON and not a PostgreSQL log line');
    expect(r.stdout).toContain('hello');
    const j = JSON.parse(cli(['unparsed', '--db', dbFile, '--json']).stdout) as { items: { path: string; line: number; reason: string; head: string }[] };
    expect(j.items).toEqual([expect.objectContaining({ path: path.join(tmp.dir, 'logs', 'junk.txt'), line: 1, head: 'hello' })]);
  });

  it('reads standard input (-): the last line without a newline counts; piping it again stores nothing', () => {
    const stdinDb = path.join(tmp.dir, 'stdin.sqlite');
    const p = capturePino({ correlation_id: 'aaaaaaaaaaaaaaaa' }, 'cp-2');
    p.setTime(t0);
    for (let i = 0; i < 50; i++) p.logger.info({ i }, `line ${i}`);
    const text = p.take().join('\n') + '\nnot a log line\n' + JSON.stringify({ level: 50, time: t0, correlation_id: 'aaaaaaaaaaaaaaaa', msg: 'last, no newline' });
    const r = cli(['ingest', '--db', stdinDb, '--json', '-'], text);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout) as { stored: number; unparsed: number; events: Record<string, number>; streams: { pending_bytes: number }[] };
    expect(j).toMatchObject({ stored: 51, unparsed: 1, events: { cp: 51 } });
    expect(j.streams[0]!.pending_bytes).toBe(0);
    const again = JSON.parse(cli(['ingest', '--db', stdinDb, '--json', '-'], text).stdout) as { stored: number; unparsed: number };
    expect(again).toMatchObject({ stored: 0, unparsed: 0 });
    const t = JSON.parse(cli(['ticket', 'aaaaaaaaaaaaaaaa', '--db', stdinDb, '--json']).stdout) as { events: { message: string }[] };
    expect(t.events.length).toBe(51);
    expect(t.events[50]!.message).toBe('last, no newline');
  });

  it('stdin that is empty is said, not an error', () => {
    const r = cli(['ingest', '--db', path.join(tmp.dir, 'empty.sqlite'), '-'], '');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('skipped -: empty');
  });

  it('a redaction pattern that could backtrack without bound, or is no regular expression: exit 1, one line naming it, nothing read', () => {
    for (const p of ['(a+)+$', '(']) {
      const r = cli(['ingest', '--db', path.join(tmp.dir, 'refused.sqlite'), path.join(tmp.dir, 'logs')], undefined, { DIAG_REDACT_PATTERNS: p });
      expect(r.status).toBe(1);
      expect(r.stderr.trim().split('\n')).toEqual([expect.stringContaining(`tellwang-diag: DIAG_REDACT_PATTERNS: redaction pattern ${JSON.stringify(p)}`)]);
      expect(r.stdout).toBe('');
      expect(existsSync(path.join(tmp.dir, 'refused.sqlite'))).toBe(false);
    }
  });

  it('a missing path: exit 1, one line naming it', () => {
    const missing = path.join(tmp.dir, 'nope');
    const r = cli(['ingest', '--db', dbFile, missing]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`tellwang-diag: ${missing}: no such file or directory\n`);
  });
});

describe('tellwang-diag ticket', () => {
  it('is readable, and log text cannot drive the terminal or forge lines', () => {
    const r = cli(['ticket', CID, '--db', dbFile]);
    expect(r.status).toBe(0);
    const out = r.stdout;
    expect(out).toMatch(new RegExp(`^Ticket ${CID}$`, 'm'));
    expect(out).toMatch(/^ {2}502 POST \/v1\/woks\/w7\/sql$/m);
    expect(out).toContain('CP_EXEC_SQL_FAILED');
    expect(out).toContain('fix: state · HTTP 502');
    expect(out).toContain('permission denied for table t');
    expect(out).toContain('received fast shutdown request');
    // The shutdown a second before is named as the probable cause, under the error.
    expect(out).toMatch(/^ {2}probable cause: The wok's database was restarting \d+ s before this request failed \(wok-w7-db/m);
    // No control character but the newlines between our own lines.
    expect(out).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    // The forged line stays inside the event's line: no output line starts with it.
    const lines = out.split('\n');
    expect(lines.some((l) => l.startsWith('2026-11-24 20:22:24.843 [cp]'))).toBe(false);
    const evil = lines.find((l) => l.includes('stmt failed'))!;
    expect(evil).toContain('all good, ticket closed');
    expect(evil).toContain('⏎');
    // No key body reaches the terminal.
    expect(out).not.toContain(key.key.slice(12, 30));
  });

  it('--json has the shape of GET /v1/tickets/:cid', () => {
    const r = cli(['ticket', CID.toUpperCase(), '--db', dbFile, '--json']);
    expect(r.status).toBe(0);
    const t = JSON.parse(r.stdout) as Record<string, unknown> & {
      request: Record<string, unknown>;
      events: Record<string, unknown>[];
      context: Record<string, unknown>[];
    };
    expect(t.correlation_id).toBe(CID);
    expect(t.request).toMatchObject({ method: 'POST', path: '/v1/woks/w7/sql', status: 502, org: 'acme', wok: 'w7', time: expect.stringMatching(/Z$/), duration_ms: expect.any(Number) });
    expect(t.request).toHaveProperty('user');
    expect(t.error).toMatchObject({ code: 'CP_EXEC_SQL_FAILED', message: expect.any(String) });
    expect(t.remediation).toMatchObject({ code: 'CP_EXEC_SQL_FAILED', group: 'Upstream / platform', http: 502, fix_side: 'state', text: expect.stringContaining('docker-exec') });
    const sources = t.events.map((e) => e.source);
    expect(new Set(sources)).toEqual(new Set(['cp', 'container', 'audit']));
    for (const e of [...t.events, ...t.context]) {
      expect(e).toEqual(expect.objectContaining({ source: expect.any(String), time: expect.stringMatching(/Z$/), level: expect.any(String), message: expect.any(String) }));
      if (e.source === 'container') expect(e.container).toEqual({ id: expect.any(String), name: expect.any(String), wok: 'w7', role: 'db' });
      else expect(e).not.toHaveProperty('container');
    }
    const times = t.events.map((e) => Date.parse(e.time as string));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(t.context.map((e) => e.message)).toContain('received fast shutdown request');
    expect(r.stdout).not.toContain('stack');
    expect(cli(['ticket', CID, '--db', dbFile, '--json', '--stacks']).stdout).toContain('"stack"');
  });

  it('a malformed id: exit 2 and a clear message', () => {
    for (const bad of ['12345', 'zzzzzzzzzzzzzzzz', '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01', '\u001b[2Jabcdef']) {
      const r = cli(['ticket', bad, '--db', dbFile]);
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
      // One line; what else the text held (a traceparent here) is said after the refusal.
      expect(r.stderr).toMatch(/^tellwang-diag: .* is not a correlation id \(16 hexadecimal characters\)(; it holds [^\n]*)?\n$/);
      expect(r.stderr).not.toContain('\u001b');
    }
  });

  it('an unknown id: exit 1 and says so', () => {
    const r = cli(['ticket', 'ffffffffffffffff', '--db', dbFile]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('nothing has been logged with correlation id ffffffffffffffff\n');
  });
});

describe('tellwang-diag unparsed', () => {
  it('pages with a cursor, and refuses a cursor it did not hand out', () => {
    const r = cli(['unparsed', '--db', dbFile, '--limit', '1']);
    expect(r.status).toBe(0);
    expect(r.stdout).not.toContain('more:');
    const bad = cli(['unparsed', '--db', dbFile, '--cursor', 'bm9wZQ']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe('tellwang-diag: --cursor: the cursor is not one this server handed out\n');
    expect(cli(['unparsed', '--db', dbFile, '--limit', '0']).status).not.toBe(0);
  });
});
