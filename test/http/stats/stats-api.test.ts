/**
 * GET /v1/stats over real HTTP answers what `tellwang-diag stats --json`
 * prints, lag included: the bytes a file holds now beyond what was read.
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../../../src/access/api-tokens.js';
import { statsJson } from '../../../src/http/present/stats-json.js';
import { ingestPaths } from '../../../src/ingest/ingest-paths.js';
import { streamLag } from '../../../src/ingest/readers/stream-lag.js';
import { auditLine } from '../../../scripts/formats/audit-log.js';
import { tempSqliteStore, type TempSqliteStore } from '../../fixtures/sqlite-store.js';
import { tempDir, type TempDir } from '../../fixtures/temp-dir.js';
import { startTestServer, testDeps, type TestServer } from '../../fixtures/test-server.js';

const line = (i: number) =>
  auditLine({ time: Date.parse('2026-11-24T20:00:00.000Z') + i * 1000, actor: 'maria@acme.test', org: 'acme', action: 'wok.env.set', outcome: 'success', correlationId: `${i}`.padStart(16, 'a'), ip: '203.0.113.7', wokId: 'ledger' });

describe('GET /v1/stats', () => {
  let db: TempSqliteStore;
  let tmp: TempDir;
  let server: TestServer;
  let auth: { authorization: string };
  let file: string;

  beforeAll(async () => {
    db = tempSqliteStore();
    tmp = tempDir('tellwang-stats-');
    file = tmp.file('audit.log');
    writeFileSync(file, [0, 1, 2].map((i) => line(i)).join('\n') + '\n');
    await ingestPaths(db.store, [file], { final: false });
    server = await startTestServer(testDeps(db.store));
    auth = { authorization: `Bearer ${(await createToken(db.store, 'support', 'operator', Date.now())).secret}` };
  });

  afterAll(async () => {
    await server?.close();
    await db?.close();
    tmp?.remove();
  });

  it('is the CLI\'s JSON, and counts bytes appended since the ingest as lag', async () => {
    const appended = line(3) + '\n';
    appendFileSync(file, appended);
    const res = await fetch(`${server.url}/v1/stats`, { headers: auth });
    expect(res.status).toBe(200);
    const body = (await res.json()) as ReturnType<typeof statsJson>;
    const st = await db.store.stats();
    expect(body).toEqual(JSON.parse(JSON.stringify(statsJson(st, st.streams.map(streamLag), await db.store.leaseTable(), await db.store.ingestNotes()))));
    expect(body.lag_bytes).toBe(Buffer.byteLength(appended));
    expect(body.files.map((f) => [f.path, f.lag_bytes])).toEqual([[file, Buffer.byteLength(appended)]]);
  });
});
