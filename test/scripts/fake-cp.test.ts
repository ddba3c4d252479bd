/**
 * The fake cp writes what pino-http writes, in both production configurations,
 * and those lines ingest into tickets with the right request and error.
 */
import { writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { catalog } from '../../src/catalog/catalog.js';
import { ingestPaths } from '../../src/ingest/ingest-paths.js';
import { buildTicket } from '../../src/queries/ticket.js';
import { cpLines, type CpMode, type ScriptedRequest } from '../fixtures/cp-lines.js';
import { inventoryBuilder } from '../fixtures/inventory.js';
import { tempSqliteStore } from '../fixtures/sqlite-store.js';
import { tempDir } from '../fixtures/temp-dir.js';

type Line = Record<string, unknown> & { level: number; time: number; msg: string };
const parse = (lines: string[]) => lines.map((l) => JSON.parse(l) as Line);
const completion = (lines: Line[], cidOf: (l: Line) => unknown, cid: string) => lines.find((l) => l.res && cidOf(l) === cid)!;

const inv = inventoryBuilder().wok('ledger', 'acme');
const key = inv.key('acme', 'ci-deploy@acme.io');
const session = 'Zm9vYmFyYmF6cXV4c2Vzc2lvbnNlY3JldDEyMzQ1Njc4OTA';
const auth = { 'user-agent': 'tellwang-cli/2.3.1', authorization: `Bearer ${key.key}`, cookie: `tw_session=${session}`, 'x-forwarded-for': '203.0.113.54' };
const refused = { message: 'connect ECONNREFUSED 172.18.0.5:5432', props: { code: 'ECONNREFUSED', errno: -111, syscall: 'connect' } };

const script: ScriptedRequest[] = [
  { method: 'POST', path: '/v1/woks/ledger/sql', headers: auth, body: { sql: 'select 1' }, wok: 'ledger', org: 'acme', durationMs: 431, reply: { rows: [[1]] } },
  { method: 'POST', path: '/v1/woks/ledger/sql', headers: auth, body: { sql: 'select 1' }, wok: 'ledger', org: 'acme', durationMs: 3, fail: { code: 'CP_EXEC_SQL_FAILED', message: 'docker exec into the wok db failed', cause: refused } },
  { method: 'GET', path: '/v1/wok/ledger', headers: auth, durationMs: 1 },
  { method: 'POST', path: '/v1/woks/ledger/env', headers: auth, body: '{"vars": {,}}', durationMs: 2 },
];

const dirs: Array<{ remove(): void }> = [];
afterAll(() => dirs.forEach((d) => d.remove()));

describe.each<[CpMode, (l: Line) => unknown]>([
  ['req-id', (l) => l.reqId ?? (l.req as { id?: unknown } | undefined)?.id],
  ['correlation-id', (l) => l.correlation_id],
])('fake cp, %s configuration', (mode, cidOf) => {
  it('answers with the envelope and X-Correlation-Id, and pino-http logs each request with req, res, responseTime and err', async () => {
    const run = await cpLines(mode, script);
    const [ok, failed, notFound, badJson] = run.responses;
    expect(ok!.status).toBe(200);
    expect(failed!.status).toBe(502);
    expect(JSON.parse(failed!.body)).toEqual({ error: { code: 'CP_EXEC_SQL_FAILED', message: 'docker exec into the wok db failed', hint: expect.any(String), correlation_id: failed!.cid } });
    expect(failed!.headers['x-correlation-id']).toBe(failed!.cid);
    expect(JSON.parse(notFound!.body).error.code).toBe('CP_ROUTE_NOT_FOUND');
    expect(JSON.parse(badJson!.body).error.code).toBe('CP_BAD_JSON');

    const lines = parse(run.lines);
    for (const [i, r] of run.responses.entries()) {
      const done = completion(lines, cidOf, r.cid);
      const req = done.req as { method: string; url: string; headers: Record<string, string>; remoteAddress: string };
      expect(req.method).toBe(script[i]!.method);
      expect(req.url).toBe(script[i]!.path);
      expect(req.headers.authorization).toBe(`Bearer ${key.key}`);
      expect(req.remoteAddress).toBe('203.0.113.54');
      expect((done.res as { statusCode: number; headers: Record<string, string> }).statusCode).toBe(r.status);
      expect((done.res as { headers: Record<string, string> }).headers['x-correlation-id']).toBe(r.cid);
      // The simulated clock and duration, not the machine's.
      expect(done.responseTime).toBe(script[i]!.durationMs);
      expect(done.time).toBe(r.start + script[i]!.durationMs!);
    }
    const err = completion(lines, cidOf, failed!.cid).err as Record<string, unknown>;
    expect(err).toMatchObject({ type: 'CpError', code: 'CP_EXEC_SQL_FAILED', status: 502, message: 'docker exec into the wok db failed: connect ECONNREFUSED 172.18.0.5:5432' });
    expect(err.stack).toMatch(/^CpError: docker exec into the wok db failed\n {4}at /);
    expect(err.stack).toContain('caused by: Error: connect ECONNREFUSED');

    const app = lines.filter((l) => !l.res && l.msg !== undefined);
    expect(app.map((l) => l.msg)).toEqual(['wok resolved', 'wok resolved', 'exec_sql failed']);
    if (mode === 'req-id') {
      expect(app.every((l) => l.reqId !== undefined && l.req === undefined && l.correlation_id === undefined)).toBe(true);
      // pino-http's default level: the failed request at info.
      expect(completion(lines, cidOf, failed!.cid).level).toBe(30);
    } else {
      expect(app.every((l) => l.correlation_id !== undefined && l.req === undefined && l.reqId === undefined)).toBe(true);
      expect(typeof (completion(lines, cidOf, failed!.cid).req as { id: unknown }).id).toBe('number');
      expect(completion(lines, cidOf, failed!.cid).level).toBe(50);
      expect(completion(lines, cidOf, notFound!.cid).level).toBe(40);
    }
  });

  it('ingests into tickets with the request, the error and the app lines, and stores no secret', async () => {
    const run = await cpLines(mode, script);
    const tmp = tempDir();
    dirs.push(tmp);
    writeFileSync(tmp.file('cp.log'), run.text);
    const s = tempSqliteStore();
    try {
      await s.store.putInventory(inv.inventory());
      const report = await ingestPaths(s.store, [tmp.file('cp.log')], { final: true });
      expect(report.unparsed).toBe(0);
      expect(report.events.cp).toBe(run.lines.length);

      const ok = (await buildTicket(s.store, catalog, run.responses[0]!.cid))!;
      expect(ok.request).toMatchObject({ method: 'POST', path: '/v1/woks/ledger/sql', status: 200, org: 'acme', user: 'ci-deploy@acme.io', wok: 'ledger', durationMs: 431, keyPrefix: key.prefix });
      expect(ok.error).toBeNull();
      expect(ok.events.map((e) => e.message)).toEqual(['wok resolved', 'request completed']);

      const failed = (await buildTicket(s.store, catalog, run.responses[1]!.cid))!;
      expect(failed.request).toMatchObject({ status: 502, wok: 'ledger', durationMs: 3 });
      expect(failed.error).toMatchObject({ code: 'CP_EXEC_SQL_FAILED' });
      expect(failed.error!.message).toContain('ECONNREFUSED');
      expect(failed.remediation).toMatchObject({ kind: 'catalogued', code: 'CP_EXEC_SQL_FAILED', fixSide: 'state' });
      expect(failed.events.map((e) => e.message)).toEqual(['wok resolved', 'exec_sql failed', 'request errored']);

      expect((await buildTicket(s.store, catalog, run.responses[2]!.cid))!.error!.code).toBe('CP_ROUTE_NOT_FOUND');
      expect((await buildTicket(s.store, catalog, run.responses[3]!.cid))!.error!.code).toBe('CP_BAD_JSON');

      await s.closeStore();
      const bytes = s.bytes();
      expect(bytes.includes(key.key)).toBe(false);
      expect(bytes.includes(session)).toBe(false);
      expect(bytes.includes(key.prefix)).toBe(true);
    } finally {
      await s.close();
    }
  });
});
