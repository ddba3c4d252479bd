/**
 * Whole classes of secrets end to end: each run writes real cp log lines
 * (pino) that carry one secret of a random class under a random encoding, in
 * the message, a field, an error and a request URL, under a fresh correlation
 * id of org acme; ingests them into the real SQLite store file; and then
 * searches the file and its WAL, the ticket page, the operator's JSON (raw
 * lines and stacks included) and the customer's JSON for the secret's body.
 * Our own request log of the fetches (and its Bearer challenge, kept whole)
 * is searched too.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../../../src/access/api-tokens.js';
import { addOperator } from '../../../src/access/operators.js';
import { ingestPaths } from '../../../src/ingest/ingest-paths.js';
import { capturePino } from '../../../scripts/formats/pino-lines.js';
import { bearer, call, signIn } from '../../fixtures/http-client.js';
import { ENCODINGS, bodyForms, filler, gluedLetters, secretClass } from '../../fixtures/secret-classes.js';
import { startConsole, type Console } from '../../fixtures/test-server.js';
import { buildWorld, type World } from './fixtures/world.js';

let w: World;
let c: Console;
let token: string;
let session: string;

beforeAll(async () => {
  w = await buildWorld();
  await addOperator(w.store, 'ops@tellwang.test', 'a long enough passphrase');
  c = await startConsole(w.store);
  token = (await createToken(w.store, 'reader', 'operator', Date.now())).secret;
  session = (await signIn(c.url, 'ops@tellwang.test', 'a long enough passphrase')).cookie!;
});

afterAll(async () => {
  await c?.close();
  await w?.remove();
});

/** cp lines for one request of acme's, the planted text in its message, a field, an error and the URL. */
function cpLines(cid: string, planted: string): string[] {
  const cp = capturePino({}, 'cp-prod-7.tellwang.internal');
  const log = cp.logger.child({ correlation_id: cid, org: 'acme' });
  log.info({ wok_id: 'alpha', detail: `upstream said ${planted}` }, `calling out with ${planted}`);
  const err = Object.assign(new Error(`request failed: ${planted}`), { code: 'CP_EXEC_SQL_FAILED' });
  log.error({ err, wok_id: 'alpha', code: 'CP_EXEC_SQL_FAILED', req: { method: 'POST', url: `/v1/woks/alpha/sql?q=${planted}` } }, 'exec_sql failed');
  return cp.take();
}

function survivor(text: string, body: string): string | null {
  return bodyForms(body).find((f) => text.includes(f)) ?? null;
}

describe('no class of secret, under any encoding, comes out anywhere', () => {
  it('store file and WAL, ticket page, operator JSON, customer JSON', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(secretClass, fc.integer({ min: 0, max: ENCODINGS.length - 1 }), gluedLetters, filler, async (p, enc, glue, before) => {
        fc.pre(survivor(before, p.body) === null);
        const cid = randomBytes(8).toString('hex');
        const planted = `${before} ${glue}${ENCODINGS[enc]!.encode(p.text)}`;
        const file = path.join(w.dir, `more-${n++}.log`);
        writeFileSync(file, cpLines(cid, planted).join('\n') + '\n');
        await ingestPaths(w.store, [file], { final: true });
        const where = new Map<string, string>([
          ['store', Buffer.concat([readFileSync(w.dbFile), readFileSync(`${w.dbFile}-wal`)]).toString('latin1')],
          ['page', (await call(c.url, `/tickets/${cid}`, { headers: { cookie: session, accept: 'text/html' } })).text],
          ['operator json', (await call(c.url, `/v1/tickets/${cid}?include=stack,raw`, { headers: bearer(token) })).text],
          ['customer json', (await call(c.url, `/v1/tickets/${cid}`, { headers: bearer(w.keys.acme.key) })).text],
        ]);
        // The answers were real: the ticket was found by both callers.
        expect(where.get('operator json')).toContain('"code":"CP_EXEC_SQL_FAILED"');
        expect(where.get('customer json')).toContain('"org":"acme"');
        for (const [place, text] of where) {
          const left = survivor(text, p.body);
          if (left !== null) expect({ place, kind: p.kind, how: ENCODINGS[enc]!.name, planted, left }).toBeNull();
        }
      }),
      // The store keeps what every run wrote, so a shrunk example could be failed by an earlier one's secret: the first failure is reported as it is.
      { numRuns: 16, endOnFailure: true },
    );
    // Our own request log: no secret, and the challenge it answered unauthenticated calls with is kept whole.
    await call(c.url, '/v1/search', { headers: { accept: 'application/json' } });
    const log = c.logs.join('\n');
    expect(log).toContain('Bearer realm=\\"tellwang-diag\\"');
    expect(log).not.toContain('[REDACTED]\\"tellwang-diag\\"');
  });
});
