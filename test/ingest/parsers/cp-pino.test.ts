import { beforeAll, describe, expect, it } from 'vitest';
import { isPinoRecord, parseCpRecord } from '../../../src/ingest/parsers/cp-pino.js';
import type { CpEvent } from '../../../src/model/event.js';
import { summarize } from '../../../src/model/request.js';
import { capturePino } from '../../../scripts/formats/pino-lines.js';
import { mintKey } from '../../../scripts/formats/inventory-file.js';
import { runCp, type CpConfig, type CpRun } from '../../fixtures/cp-app.js';

const key = mintKey('skl');
const GIVEN_CID = 'ABCDEF0123456789';

function parse(line: string, i = 0): CpEvent {
  const o = JSON.parse(line) as Record<string, unknown>;
  expect(isPinoRecord(o)).toBe(true);
  return parseCpRecord(o, `s:${i}`);
}

const CONFIGS: CpConfig[] = ['req-id', 'req-id-quiet', 'correlation-id'];

describe.each(CONFIGS)('cp lines written by pino-http (%s)', (config) => {
  let run: CpRun;
  let events: CpEvent[];
  beforeAll(async () => {
    run = await runCp(config, [
      { method: 'GET', path: '/v1/woks/w1', headers: { authorization: `Bearer ${key.key}`, cookie: 'sid=s3cr3tcookie' } },
      { method: 'POST', path: '/v1/woks/w1/sql', body: { sql: 'select 1' }, headers: { 'x-correlation-id': GIVEN_CID, authorization: `Bearer ${key.key}` } },
      { method: 'GET', path: '/v1/orgs/nope?x=1' },
    ]);
    events = run.lines.map((l, i) => parse(l, i));
  });

  it('gives every line of a request its correlation id, canonical (lower case)', () => {
    const cids = run.responses.map((r) => r.cid.toLowerCase());
    expect(cids[1]).toBe(GIVEN_CID.toLowerCase());
    for (const e of events) expect(cids).toContain(e.cid);
    // Each request's lines all carry its id; the "wok resolved" line (no req in some configs) included.
    const resolved = events.filter((e) => e.message === 'wok resolved');
    expect(resolved.map((e) => e.cid)).toEqual([cids[0], cids[1]]);
    for (const [i, cid] of cids.entries()) {
      const mine = events.filter((e) => e.cid === cid);
      expect(mine.filter((e) => e.http).length, `completion line of request ${i}`).toBe(1);
    }
  });

  it('reads the completion line: method, path, status, duration, key prefix, remote address', () => {
    const done = events.filter((e) => e.http);
    expect(done.map((e) => [e.http!.method, e.http!.path, e.http!.status])).toEqual([
      ['GET', '/v1/woks/w1', 200],
      ['POST', '/v1/woks/w1/sql', 502],
      ['GET', '/v1/orgs/nope?x=1', 404],
    ]);
    const raw = run.lines.filter((l) => l.includes('"responseTime"')).map((l) => JSON.parse(l) as { responseTime: number });
    expect(done.map((e) => e.http!.durationMs)).toEqual(raw.map((r) => r.responseTime));
    expect(done[0]!.http!.keyPrefix).toBe(key.prefix);
    expect(done[2]!.http!.keyPrefix).toBeNull();
    expect(done[0]!.http!.remoteAddress).toBe('127.0.0.1');
    expect(done[0]!.wok).toBe('w1');
    expect(done[2]!.wok).toBeNull();
  });

  it('judges failure by res.statusCode, not by the level pino-http used (always info here)', () => {
    const raw = run.lines.filter((l) => l.includes('"responseTime"')).map((l) => JSON.parse(l) as { level: number });
    expect(raw.map((r) => r.level)).toEqual([30, 30, 30]);
    const done = events.filter((e) => e.http);
    expect(done.map((e) => e.level)).toEqual(['info', 'error', 'warn']);
    const rows = done.map((e) => summarize(e)!);
    expect(rows.map((r) => r.status >= 400)).toEqual([false, true, true]);
  });

  it('lifts the platform code and the error from the app lines and the completion line', () => {
    const failed = events.find((e) => e.message === 'exec_sql failed')!;
    expect(failed.level).toBe('error');
    expect(failed.code).toBe('CP_EXEC_SQL_FAILED');
    expect(failed.err).toMatchObject({ type: 'Error', code: 'ECONNREFUSED', message: 'connect ECONNREFUSED /var/run/postgresql/.s.PGSQL.5432' });
    expect(failed.wok).toBe('w1');
    const done502 = events.find((e) => e.http?.status === 502)!;
    expect(done502.code).toBe('CP_EXEC_SQL_FAILED');
    expect(done502.err).toMatchObject({ code: 'CP_EXEC_SQL_FAILED', status: 502, hint: 'Retry; if persistent, hit /diag/wok/{id}.' });
    expect(summarize(done502)).toMatchObject({ cid: GIVEN_CID.toLowerCase(), code: 'CP_EXEC_SQL_FAILED', wok: 'w1', method: 'POST', status: 502 });
    const notFound = events.find((e) => e.code === 'CP_ORG_NOT_FOUND')!;
    expect(notFound.message).toBe('no org with slug nope');
    expect(notFound.cid).toBe(run.responses[2]!.cid);
  });

  it('keeps only the explanatory request headers, never credentials or cookies', () => {
    for (const e of events) {
      const text = JSON.stringify(e);
      expect(text).not.toContain(key.key.slice(12));
      expect(text).not.toContain('s3cr3tcookie');
      expect(text).not.toMatch(/authorization|cookie/i);
    }
    const first = events.find((e) => e.http?.status === 200)!;
    expect(first.fields.headers).toEqual({ 'user-agent': 'node' });
    expect(first.fields.hostname).toBe('cp-1');
    expect(first.fields).not.toHaveProperty('res');
    expect(first.fields).not.toHaveProperty('req');
  });

  it('computes the request start from completion time and responseTime', () => {
    const done = events.find((e) => e.http?.status === 200)!;
    expect(summarize(done)!.time).toBe(done.time - done.http!.durationMs!);
  });
});

describe('pino-http with quietResLogger (and quietReqLogger): completion lines without req', () => {
  it('still end their request: status, duration, the error and the id from reqId; method and path not logged ("")', async () => {
    const run = await runCp('quiet', [
      { method: 'POST', path: '/v1/woks/w1/sql', headers: { authorization: `Bearer ${key.key}` } },
      { method: 'GET', path: '/v1/orgs/nope' },
    ]);
    const raw = run.lines.filter((l) => l.includes('"responseTime"')).map((l) => JSON.parse(l) as { req?: unknown; responseTime: number });
    // What pino-http wrote: no req on the completion lines.
    expect(raw.map((r) => r.req)).toEqual([undefined, undefined]);
    const done = run.lines.map((l, i) => parse(l, i)).filter((e) => e.http);
    expect(done.map((e) => [e.cid, e.http!.method, e.http!.path, e.http!.status, e.http!.durationMs, e.level])).toEqual([
      [run.responses[0]!.cid, '', '', 502, raw[0]!.responseTime, 'error'],
      [run.responses[1]!.cid, '', '', 404, raw[1]!.responseTime, 'warn'],
    ]);
    expect(done[0]!.code).toBe('CP_EXEC_SQL_FAILED');
    expect(done[0]!.http!.keyPrefix).toBeNull();
    // An app line logging a `res` object of its own is no request's end without responseTime.
    expect(parse('{"level":30,"time":1764000000000,"reqId":"5367500fbf670405","res":{"statusCode":200},"msg":"cached"}').http).toBeNull();
  });
});

describe('other places a pino line may carry the correlation id', () => {
  const cid = '0123456789abcdef';
  it.each([
    ['correlation_id', { correlation_id: cid }],
    ['correlationId', { correlationId: cid.toUpperCase() }],
    ['reqId', { reqId: cid }],
    ['request_id', { request_id: cid }],
    ['requestId', { requestId: cid }],
  ])('%s', (_name, bindings) => {
    const p = capturePino(bindings, 'cp-1');
    p.setTime(Date.UTC(2026, 10, 24, 20, 22, 24, 843));
    p.logger.info({ wok_id: 'w1' }, 'wok resolved');
    const e = parse(p.take()[0]!);
    expect(e.cid).toBe(cid);
    expect(e.time).toBe(Date.UTC(2026, 10, 24, 20, 22, 24, 843));
    expect(e.wok).toBe('w1');
    expect(e.fields).toEqual({ pid: 1, hostname: 'cp-1' });
  });

  it('pino-http with its defaults: the x-correlation-id request and response headers', async () => {
    const run = await runCp('header-only', [
      { method: 'POST', path: '/v1/woks/w2/sql', headers: { 'x-correlation-id': cid.toUpperCase() } },
      { method: 'GET', path: '/v1/woks/w2' },
    ]);
    const events = run.lines.map((l, i) => parse(l, i));
    const first = events.filter((e) => (JSON.parse(run.lines[events.indexOf(e)]!) as { req?: { url?: string } }).req?.url === '/v1/woks/w2/sql');
    expect(first.length).toBe(3);
    for (const e of first) expect(e.cid).toBe(cid);
    // Without the request header, only the completion line (its response header) knows the id.
    const done = events.find((e) => e.http?.path === '/v1/woks/w2')!;
    expect(done.cid).toBe(run.responses[1]!.cid);
  });

  it('an x-correlation-id request header when req.id is pino-http\'s counter', () => {
    const line = JSON.stringify({ level: 30, time: 1, pid: 1, hostname: 'h', req: { id: 7, method: 'GET', url: '/v1/woks', headers: { 'x-correlation-id': cid.toUpperCase() } }, msg: 'x' });
    expect(parse(line).cid).toBe(cid);
  });

  it('ignores ids that are not 16 hex characters, and falls through to the next place', () => {
    const line = JSON.stringify({ level: 30, time: 1, correlation_id: 'not-an-id', req: { id: cid, method: 'GET', url: '/' }, msg: 'x' });
    expect(parse(line).cid).toBe(cid);
    const none = JSON.stringify({ level: 30, time: 1, correlation_id: '0123456789abcdeg', req: { id: 12 }, msg: 'x' });
    expect(parse(none).cid).toBeNull();
  });

  it('an error logged without a message takes the error message', () => {
    const p = capturePino({ correlation_id: cid }, 'cp-1');
    p.logger.error(Object.assign(new Error('boom'), { code: 'CP_DB_QUERY_FAILED' }));
    const e = parse(p.take()[0]!);
    expect(e.message).toBe('boom');
    expect(e.level).toBe('error');
    expect(e.code).toBe('CP_DB_QUERY_FAILED');
  });

  it('tells audit lines apart (ISO time, no numeric level)', () => {
    expect(isPinoRecord({ time: '2026-11-24T20:22:24.843Z', actor: 'a', action: 'x' })).toBe(false);
  });
});

describe('keys that are not plain names', () => {
  it('a "__proto__" field stays an ordinary field: kept as logged, never the prototype of what is built', () => {
    const line = '{"level":30,"time":1764000000000,"correlation_id":"5367500fbf670405","__proto__":{"isAdmin":true},"msg":"odd"}';
    const e = parseCpRecord(JSON.parse(line) as Record<string, unknown>, 's:0');
    expect(Object.getPrototypeOf(e.fields)).toBe(Object.prototype);
    expect((e.fields as { isAdmin?: unknown }).isAdmin).toBeUndefined();
    expect(Object.keys(e.fields)).toEqual(['__proto__']);
    expect(JSON.stringify(e.fields)).toBe('{"__proto__":{"isAdmin":true}}');
  });
});
