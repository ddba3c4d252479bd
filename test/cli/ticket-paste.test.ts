/**
 * The built `ticket` takes what the paste box takes (an envelope on stdin, a
 * header block, several ids), shows the health at the time and the
 * remediation with the request's wok filled in; read-only commands refuse a
 * store that does not exist instead of creating an empty one.
 */
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBuiltCli, runCli } from '../fixtures/built-cli.js';
import { tempDir } from '../fixtures/temp-dir.js';
import { PlatformLogs, tempStore } from '../diag/fixtures/platform-logs.js';

const MIN = 60_000;
const T = Math.floor(Date.now() / MIN) * MIN - 30 * MIN;
const hm = (t: number) => new Date(t).toISOString().slice(11, 16);

let logs: PlatformLogs;
let store: ReturnType<typeof tempStore>;
let db = '';
let failed = '';
let other = '';

beforeAll(async () => {
  requireBuiltCli();
  logs = new PlatformLogs();
  failed = logs.request({ time: T, method: 'POST', path: '/v1/woks/ledger/sql', status: 502, code: 'CP_EXEC_SQL_FAILED', wok: 'ledger', org: 'acme', message: 'docker exec failed' });
  other = logs.request({ time: T + 5 * MIN, method: 'GET', path: '/v1/woks', status: 200, org: 'acme' });
  store = tempStore();
  await logs.ingestInto(store.store);
  const recs = [];
  for (let t = T - 10 * MIN; t <= T + 10 * MIN; t += 30_000) {
    const failing = t >= T - MIN && t < T + 2 * MIN;
    recs.push({ check: 'cp_db', status: failing ? ('fail' as const) : ('pass' as const), time: t, output: failing ? 'connection refused' : null });
  }
  await store.store.recordChecks(recs);
  await store.store.close();
  db = path.join(store.dir, 'diag.sqlite');
});

afterAll(() => {
  logs.remove();
  rmSync(store.dir, { recursive: true, force: true });
});

describe('tellwang-diag ticket with pasted text', () => {
  it('a whole error envelope piped on stdin prints its ticket', async () => {
    const envelope = JSON.stringify({ error: { code: 'CP_EXEC_SQL_FAILED', message: 'docker exec failed', hint: 'retry', correlation_id: failed } });
    const r = await runCli(['ticket', '-', '--db', db], { input: envelope });
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(new RegExp(`^Ticket ${failed}$`, 'm'));
  });

  it('a header block given as arguments prints its ticket', async () => {
    const r = await runCli(['ticket', 'HTTP/1.1 502 Bad Gateway', `x-correlation-id: ${failed.toUpperCase()}`, '--db', db, '--json']);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.out) as { correlation_id: string }).correlation_id).toBe(failed);
  });

  it('several ids are listed, saying which were logged (exit 1: no one ticket)', async () => {
    const r = await runCli(['ticket', '--db', db], { input: `first ${failed}, then ${other}, and ffffffffffffffff` });
    expect(r.code).toBe(1);
    expect(r.out).toContain(`${failed}  logged`);
    expect(r.out).toContain(`${other}  logged`);
    expect(r.out).toContain('ffffffffffffffff  nothing logged');
    const j = await runCli(['ticket', '--db', db, '--json'], { input: `${failed} ${other}` });
    expect(JSON.parse(j.out)).toEqual({ kind: 'many', cids: [failed, other], known: { [failed]: true, [other]: true } });
  });

  it('text without an id says what it held instead, in one line (exit 2)', async () => {
    const r = await runCli(['ticket', '--db', db], { input: 'traceparent: 00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01\n' });
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/^tellwang-diag: no correlation id \(16 hexadecimal characters\) in the text; it holds a W3C traceparent .*\n$/);
  });

  it('shows the health at the time, as the ticket page does', async () => {
    const r = await runCli(['ticket', failed, '--db', db]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('Platform health at the time');
    expect(r.out).toContain(`fail cp_db was failing ${hm(T - MIN)}–${hm(T + 2 * MIN)} (connection refused); this request failed at ${hm(T)}.`);
    const calm = await runCli(['ticket', other, '--db', db]);
    expect(calm.out).not.toContain('Platform health at the time');
  });

  it("fills the remediation's {id} with the request's wok and names its page; --json keeps the catalogue's text beside the filled one", async () => {
    const r = await runCli(['ticket', failed, '--db', db]);
    expect(r.out).toContain('if persistent, hit /diag/wok/ledger.');
    expect(r.out).not.toContain('{id}');
    expect(r.out).toMatch(/^ {2}wok page: \/diag\/wok\/ledger$/m);
    const j = JSON.parse((await runCli(['ticket', failed, '--db', db, '--json'])).out) as { remediation: { text: string; filled_text: string } };
    expect(j.remediation.text).toContain('hit /diag/wok/{id}.');
    expect(j.remediation.filled_text).toBe(j.remediation.text.replace('{id}', 'ledger'));
  });
});

describe('read-only commands and a store that does not exist', () => {
  const tmp = tempDir('tellwang-nostore-');
  afterAll(() => tmp.remove());

  it.each([
    ['ticket', '0123456789abcdef'],
    ['stats'],
    ['unparsed'],
    ['operators', 'list'],
    ['operators', 'password', 'ana@acme.test'],
    ['tokens', 'list'],
    ['tokens', 'revoke', 'x'],
    ['prune', '--retain', '7d'],
  ].map((a) => [a.join(' '), a] as const))('%s refuses it in one line, exit 1, and creates nothing', async (_name, args) => {
    const missing = path.join(tmp.dir, 'data', 'diag.sqlite');
    const r = await runCli([...args, '--db', missing]);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toBe(`tellwang-diag: no store at ${missing}; pass --db or set DIAG_DB\n`);
    expect(existsSync(missing)).toBe(false);
    expect(existsSync(path.dirname(missing))).toBe(false);
  });

  it('a PostgreSQL schema that does not exist is refused too, and not created', async () => {
    const schema = `no_store_${process.pid}_${Date.now().toString(36)}`;
    const db = `postgres://postgres@127.0.0.1:5432/test?schema=${schema}`;
    const r = await runCli(['stats', '--db', db], {});
    expect(r.code).toBe(1);
    expect(r.err).toBe(`tellwang-diag: no store in PostgreSQL at 127.0.0.1:5432/test, schema ${schema}; pass --db or set DIAG_DB\n`);
    // Asked again: still refused, so the first refusal created nothing either.
    expect((await runCli(['unparsed', '--db', db], {})).code).toBe(1);
  });
});
