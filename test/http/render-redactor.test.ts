/**
 * The app redacts at render, and in its own request log, with the redactor
 * it is given (AppDeps.redactor): a line stored before a pattern was
 * configured (an older store, a pattern added since) is shown with the
 * pattern's matches gone, in JSON answers and pages alike.
 */
import { writeFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../../src/access/api-tokens.js';
import { ingestPaths } from '../../src/ingest/ingest-paths.js';
import { createLogger } from '../../src/logging/logger.js';
import { createRedactor, DEFAULT_REDACTOR, type Redactor } from '../../src/redact/redactor.js';
import { tempSqliteStore, type TempSqliteStore } from '../fixtures/sqlite-store.js';
import { tempDir, type TempDir } from '../fixtures/temp-dir.js';
import { startTestServer, testDeps } from '../fixtures/test-server.js';

const T0 = Date.UTC(2026, 10, 24, 20, 0, 0);
const CID = 'feed00000000abcd';
const SECRET = 'ACME-654321';

let dir: TempDir;
let db: TempSqliteStore;
let token: string;

beforeAll(async () => {
  dir = tempDir('render-redactor-');
  db = tempSqliteStore();
  const line = (n: number, msg: string) => JSON.stringify({ level: 50, time: T0 + n, pid: 1, hostname: 'cp-1', correlation_id: CID, msg });
  writeFileSync(dir.file('cp.log'), [line(0, 'request started'), line(1, `issued ${SECRET} to the tenant`)].join('\n') + '\n');
  // The store has no configured pattern: the line is stored as written.
  expect((await ingestPaths(db.store, [dir.file('cp.log')], { final: true })).stored).toBe(2);
  token = (await createToken(db.store, 'support', 'operator', Date.now())).secret;
});
afterAll(async () => {
  await db.close();
  dir.remove();
});

/** The ticket as JSON and as a page, and what the request log wrote, from an app redacting with `redactor`. */
async function seen(redactor: Redactor): Promise<{ json: string; page: string; log: string }> {
  const logs: string[] = [];
  const destination = new Writable({ write: (c: Buffer, _e, cb) => (logs.push(c.toString('utf8')), cb()) });
  const server = await startTestServer({ ...testDeps(db.store), redactor, logger: createLogger({ level: 'info', pretty: false, destination }) });
  try {
    const headers = { authorization: `Bearer ${token}` };
    const json = await (await fetch(`${server.url}/v1/tickets/${CID}`, { headers })).text();
    const page = await (await fetch(`${server.url}/tickets/${CID}`, { headers })).text();
    // Refused (a parameter the route does not take), and logged with its URL.
    await (await fetch(`${server.url}/v1/tickets/${CID}?note=${SECRET}`, { headers })).text();
    return { json, page, log: logs.join('') };
  } finally {
    await server.close();
  }
}

describe('redaction at render', () => {
  it('applies the configured patterns of the redactor the app is given, to answers, pages and its request log', async () => {
    const plain = await seen(DEFAULT_REDACTOR);
    // Without the pattern the stored text shows as it is: what follows is the redactor's doing.
    expect(plain.json).toContain(`issued ${SECRET}`);
    expect(plain.page).toContain(`issued ${SECRET}`);
    expect(plain.log).toContain(SECRET);

    const acme = await seen(createRedactor({ patterns: ['ACME-[0-9]{6}'] }));
    expect(acme.json).toContain('issued [REDACTED] to the tenant');
    expect(acme.page).toContain('issued [REDACTED] to the tenant');
    for (const text of [acme.json, acme.page, acme.log]) expect(text).not.toContain(SECRET);
  });
});
