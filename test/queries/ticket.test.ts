/**
 * The ticket's error, from real pino-http lines ingested into a real store:
 * what the caller was answered (the completion line) wins over the handler's
 * earlier log of the cause when both name the same code; the cause stays in
 * the events. Without an error on the completion line, the app line naming
 * the code gives the message and the hint.
 */
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalog } from '../../src/catalog/catalog.js';
import { ingestPaths } from '../../src/ingest/ingest-paths.js';
import { buildTicket } from '../../src/queries/ticket.js';
import { runCp, type CpConfig } from '../fixtures/cp-app.js';
import { tempSqliteStore, type TempSqliteStore } from '../fixtures/sqlite-store.js';
import { tempDir, type TempDir } from '../fixtures/temp-dir.js';

const CONFIGS: CpConfig[] = ['req-id', 'req-id-quiet', 'correlation-id'];

describe.each(CONFIGS)('the ticket error (cp logging as %s)', (config) => {
  let db: TempSqliteStore;
  let tmp: TempDir;
  let cids: { sql: string; org: string };

  beforeAll(async () => {
    db = tempSqliteStore();
    tmp = tempDir('tellwang-ticket-');
    const run = await runCp(config, [
      { method: 'POST', path: '/v1/woks/w1/sql' },
      { method: 'GET', path: '/v1/orgs/nosuch' },
    ]);
    cids = { sql: run.responses[0]!.cid, org: run.responses[1]!.cid };
    writeFileSync(tmp.file('cp.log'), run.lines.join('\n') + '\n');
    await ingestPaths(db.store, [tmp.file('cp.log')], { final: true });
  });
  afterAll(async () => {
    await db.close();
    tmp.remove();
  });

  it('an exec_sql failure shows what the caller was answered, not the refused connection logged before it', async () => {
    const t = (await buildTicket(db.store, catalog, cids.sql))!;
    expect(t.request?.status).toBe(502);
    expect(t.error).toEqual({ code: 'CP_EXEC_SQL_FAILED', message: 'docker exec into the db container failed', hint: 'Retry; if persistent, hit /diag/wok/{id}.' });
    // The cause is still on the ticket, on the handler's own line.
    const cause = t.events.find((e) => e.message === 'exec_sql failed');
    expect(cause?.source === 'cp' ? cause.err?.message : null).toBe('connect ECONNREFUSED /var/run/postgresql/.s.PGSQL.5432');
    expect(t.remediation).toMatchObject({ kind: 'catalogued', code: 'CP_EXEC_SQL_FAILED' });
  });

  it('a 4xx whose completion line carries no error takes the message and the hint (a plain field) from the app line naming the code', async () => {
    const t = (await buildTicket(db.store, catalog, cids.org))!;
    expect(t.request?.status).toBe(404);
    expect(t.error).toEqual({ code: 'CP_ORG_NOT_FOUND', message: 'no org with slug nosuch', hint: 'Slugs are case-sensitive.' });
  });
});
