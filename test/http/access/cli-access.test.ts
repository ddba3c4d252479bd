/**
 * The access commands as a user runs them: `node dist/src/cli.js` (built by
 * `npx tsc -p tsconfig.json`, as `npm test` does first) against a real store
 * file, with the console serving the same file over HTTP.
 *
 * Each test runs a sequence of up to a dozen CLI processes (plus argon2 hashes
 * and sign-ins): its time is that of a dozen Node start-ups, which on a loaded
 * two-core machine (the full suite, two files at once, each with its own child
 * processes and parser threads) is several times what it is alone. So these
 * tests get a budget sized to that work instead of the 30 s of a unit test;
 * every command is still bounded by its own timeout.
 */
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOKEN_SHAPE } from '../../../src/access/api-tokens.js';
import { bearer, call, signIn } from '../../fixtures/http-client.js';
import { startConsole, type Console } from '../../fixtures/test-server.js';
import { requireBuiltCli, runCli } from '../../fixtures/built-cli.js';
import { buildWorld, type World } from './fixtures/world.js';

/** Per test: a dozen process runs on a loaded machine. */
const PROCESS_TESTS = { timeout: 120_000 };

let w: World;
let c: Console;

/** Runs the CLI on the world's store as a child process (asynchronously: the console in this process keeps serving meanwhile). */
async function cli(args: string[], input?: string): Promise<{ code: number | null; out: string; err: string }> {
  const r = await runCli([...args, '--db', w.dbFile], { input: input ?? '', timeoutMs: 60_000 });
  return { code: r.code, out: r.out, err: r.err };
}

beforeAll(async () => {
  requireBuiltCli();
  w = await buildWorld();
  c = await startConsole(w.store);
});

afterAll(async () => {
  await c?.close();
  await w?.remove();
});

describe('operators', PROCESS_TESTS, () => {
  it('add (password piped on stdin), list, sign in, disable, enable', async () => {
    const add = await cli(['operators', 'add', 'Dana@Tellwang.test'], 'a long enough passphrase\n');
    expect([add.code, add.out]).toEqual([0, 'added operator Dana@Tellwang.test\n']);
    const hash = (w.store.db.prepare('SELECT password_hash FROM operators WHERE email = ?').get('dana@tellwang.test') as { password_hash: string }).password_hash;
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=\d+,t=\d+,p=\d+\$/);
    expect(readFileSync(w.dbFile).includes('a long enough passphrase')).toBe(false);
    expect((await cli(['operators', 'list'])).out).toMatch(/Dana@Tellwang\.test\s+active/);
    expect((await signIn(c.url, 'dana@tellwang.test', 'a long enough passphrase')).status).toBe(303);

    expect((await cli(['operators', 'disable', 'dana@tellwang.test'])).code).toBe(0);
    expect((await cli(['operators', 'list'])).out).toMatch(/Dana@Tellwang\.test\s+disabled/);
    expect(JSON.parse((await cli(['operators', 'list', '--json'])).out)).toEqual([expect.objectContaining({ email: 'Dana@Tellwang.test', status: 'disabled' })]);
    expect((await signIn(c.url, 'dana@tellwang.test', 'a long enough passphrase')).status).toBe(401);
    expect((await cli(['operators', 'enable', 'dana@tellwang.test'])).code).toBe(0);
    expect((await signIn(c.url, 'dana@tellwang.test', 'a long enough passphrase')).status).toBe(303);
  });

  it('refuses a short password, a duplicate, a non-email, and an unknown operator, in one line each', async () => {
    const short = await cli(['operators', 'add', 'eve@tellwang.test'], 'short\n');
    expect([short.code, short.err]).toEqual([2, 'tellwang-diag: a password needs at least 12 characters\n']);
    await cli(['operators', 'add', 'frank@tellwang.test'], 'a long enough passphrase\n');
    expect((await cli(['operators', 'add', 'FRANK@tellwang.test'], 'a long enough passphrase\n')).err).toMatch(/exists already/);
    expect((await cli(['operators', 'add', 'not an email'], 'a long enough passphrase\n')).err).toMatch(/is not an email address/);
    const unknown = await cli(['operators', 'disable', 'nobody@tellwang.test']);
    expect([unknown.code, unknown.err]).toEqual([2, 'tellwang-diag: no operator nobody@tellwang.test\n']);
  });
});

describe('tokens', PROCESS_TESTS, () => {
  it('create prints sdo_… once (only its hash is stored), list never shows it, revoke stops it at once', async () => {
    const made = await cli(['tokens', 'create', '--name', 'shipper-1', '--scope', 'ingest']);
    expect(made.code).toBe(0);
    const token = made.out.trim();
    expect(token).toMatch(TOKEN_SHAPE);
    expect(made.err).toMatch(/not shown again/);
    const op = (await cli(['tokens', 'create', '--name', 'support-cli'])).out.trim();
    const bytes = Buffer.concat([readFileSync(w.dbFile), existsSync(`${w.dbFile}-wal`) ? readFileSync(`${w.dbFile}-wal`) : Buffer.alloc(0)]);
    expect(bytes.includes(token)).toBe(false);
    expect(bytes.includes(op)).toBe(false);

    const list = await cli(['tokens', 'list']);
    expect(list.out).toMatch(/shipper-1\s+ingest\s+live/);
    expect(list.out).toMatch(/support-cli\s+operator\s+live/);
    expect(list.out.includes(token) || list.out.includes(op)).toBe(false);

    const ok = await call(c.url, '/v1/stats', { headers: bearer(op) });
    expect([ok.status, ok.status === 200 ? '' : ok.text]).toEqual([200, '']);
    expect((await call(c.url, '/v1/stats', { headers: bearer(token) })).status).toBe(403);
    expect(JSON.parse((await cli(['tokens', 'list', '--json'])).out)).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'support-cli', status: 'live', last_used_at: expect.stringMatching(/^\d{4}-/) })]),
    );

    expect((await cli(['tokens', 'revoke', 'support-cli'])).out).toBe('revoked support-cli\n');
    const after = await call(c.url, '/v1/stats', { headers: bearer(op) });
    expect([after.status, after.json().error.code]).toEqual([401, 'DIAG_UNAUTHENTICATED']);
    expect((await cli(['tokens', 'list'])).out).toMatch(/support-cli\s+operator\s+revoked/);
    expect((await cli(['tokens', 'revoke', 'support-cli'])).code).toBe(2);
    // The name is free again once revoked; a live duplicate is refused.
    expect((await cli(['tokens', 'create', '--name', 'support-cli'])).code).toBe(0);
    expect((await cli(['tokens', 'create', '--name', 'support-cli'])).err).toMatch(/a live token named support-cli exists/);
    expect((await cli(['tokens', 'create', '--name', 'x', '--scope', 'admin'])).code).not.toBe(0);
  });
});

describe('exports', PROCESS_TESTS, () => {
  it('`ticket CID --json --stacks` carries no secret', async () => {
    for (const id of Object.values(w.cids)) {
      const r = await cli(['ticket', id, '--json', '--stacks']);
      expect(r.code).toBe(0);
      expect(r.out).toContain(`"correlation_id": "${id}"`);
      for (const s of w.secrets) expect([id, s, r.out.includes(s)]).toEqual([id, s, false]);
    }
  });
});
