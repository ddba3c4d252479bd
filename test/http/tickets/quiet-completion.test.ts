/**
 * A cp logging with pino-http's quietReqLogger and quietResLogger: no line
 * carries `req`, so no line names the method or the path. Its requests still
 * end (status, duration, error) and are found: the ticket, the search list,
 * the home page — over real HTTP, from the real pino-http's lines.
 */
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../../../src/access/api-tokens.js';
import { ingestPaths } from '../../../src/ingest/ingest-paths.js';
import { runCp, type CpRun } from '../../fixtures/cp-app.js';
import { tempDir, type TempDir } from '../../fixtures/temp-dir.js';
import { tempSqliteStore, type TempSqliteStore } from '../../fixtures/sqlite-store.js';
import { startTestServer, testDeps, type TestServer } from '../../fixtures/test-server.js';

describe('requests whose completion line has no req (quietResLogger)', () => {
  let dir: TempDir;
  let db: TempSqliteStore;
  let server: TestServer;
  let run: CpRun;
  let auth: { authorization: string };

  beforeAll(async () => {
    dir = tempDir('quiet-completion-');
    db = tempSqliteStore();
    run = await runCp('quiet', [{ method: 'POST', path: '/v1/woks/w1/sql' }]);
    writeFileSync(dir.file('cp.log'), run.lines.join('\n') + '\n');
    const r = await ingestPaths(db.store, [dir.dir]);
    expect(r.unparsed).toBe(0);
    server = await startTestServer(testDeps(db.store));
    auth = { authorization: `Bearer ${(await createToken(db.store, 'support', 'operator', Date.now())).secret}` };
  });

  afterAll(async () => {
    await server?.close();
    await db?.close();
    dir?.remove();
  });

  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${server.url}${path}`, { headers: { ...auth, ...headers } });

  it('the ticket has the status, the duration and the error; method and path are null, not made up', async () => {
    const cid = run.responses[0]!.cid;
    const t = (await (await get(`/v1/tickets/${cid}`)).json()) as Record<string, any>;
    const done = JSON.parse(run.lines.find((l) => l.includes('"responseTime"'))!) as { time: number; responseTime: number };
    expect(t.request).toMatchObject({ method: null, path: null, status: 502, duration_ms: done.responseTime, time: new Date(done.time - done.responseTime).toISOString() });
    expect(t.error).toMatchObject({ code: 'CP_EXEC_SQL_FAILED', message: 'docker exec into the db container failed' });
    // The app lines named the wok: the ticket knows it.
    expect(t.request.wok).toBe('w1');
  });

  it('the request is listed by search (method and path null) and on the home page as "not logged"', async () => {
    const cid = run.responses[0]!.cid;
    const s = (await (await get('/v1/search?limit=10')).json()) as { items: Record<string, unknown>[] };
    expect(s.items).toEqual([expect.objectContaining({ correlation_id: cid, method: null, path: null, status: 502, code: 'CP_EXEC_SQL_FAILED' })]);
    const home = await (await get('/', { accept: 'text/html' })).text();
    expect(home).toContain(cid);
    expect(home).toContain('not logged');
  });
});
