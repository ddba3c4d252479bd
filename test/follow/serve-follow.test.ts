/**
 * `serve --follow DIR --retain 14d` as a process: the follower runs on a
 * worker thread of the server; a line appended to a followed file (one that
 * appears after the start, in a new Docker container directory too) becomes
 * a ticket over HTTP within a second or so; retention runs there too.
 * Needs `npx tsc -p tsconfig.json` first (it runs dist/).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { containerConfig, dockerRecords } from '../../scripts/formats/docker-json-file.js';
import { createToken } from '../../src/access/api-tokens.js';
import { projectRoot } from '../../src/project-root.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { tempDir, type TempDir } from '../fixtures/temp-dir.js';
import { cidOf, lineText } from './follow-model.js';
import { waitFor } from '../fixtures/wait-for.js';

const CLI = path.join(projectRoot(), 'dist', 'src', 'cli.js');

let tmp: TempDir;
let child: ChildProcess | null = null;
afterEach(async () => {
  if (child && child.exitCode === null && child.signalCode === null) {
    child.kill('SIGKILL');
    await new Promise((r) => child!.once('exit', r));
  }
  child = null;
  tmp?.remove();
});


describe('serve --follow', () => {
  it('follows on a worker thread while HTTP reads: new files and new container dirs become tickets', async () => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npx tsc -p tsconfig.json first`);
    tmp = tempDir('diag-serve-follow-');
    const db = tmp.file('diag.sqlite');
    const logs = tmp.file('logs');
    mkdirSync(logs);
    const setup = new SqliteStore(db);
    const token = (await createToken(setup, 'ops', 'operator', Date.now())).secret;
    await setup.close();
    writeFileSync(path.join(logs, 'cp.log'), lineText(1) + '\n');

    child = spawn(process.execPath, [CLI, 'serve', '--db', db, '--port', '0', '--follow', logs, '--retain', '3650d'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, DIAG_LOG_LEVEL: 'warn', DIAG_REDACT_PATTERNS: 'ACME-[0-9]{6}' },
    });
    let out = '';
    child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
    const url = await waitFor('the server to listen', async () => /serving (http:\/\/\S+)/.exec(out)?.[1] ?? null);
    const ticket = (cid: string) =>
      waitFor(`ticket ${cid}`, async () => {
        const r = await fetch(`${url}/v1/tickets/${cid}`, { headers: { authorization: `Bearer ${token}` } });
        return r.status === 200 ? ((await r.json()) as { events: { source: string; container?: { name: string | null } }[] }) : null;
      });

    expect((await ticket(cidOf(1))).events).toHaveLength(1);

    // Appended to a followed file.
    writeFileSync(path.join(logs, 'cp.log'), lineText(2) + '\n', { flag: 'a' });
    await ticket(cidOf(2));

    // A file that appears after the start; its line holds a secret only the configured pattern knows.
    writeFileSync(path.join(logs, 'later.log'), JSON.stringify({ ...JSON.parse(lineText(3)), msg: 'issued ACME-123456 to the tenant' }) + '\n');
    await ticket(cidOf(3));

    // A new Docker container directory, its functions runtime logging pino with the correlation id.
    const id = 'ab'.repeat(32);
    const dir = path.join(logs, 'containers', id);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'config.v2.json'), containerConfig({ id, name: 'wok-7-fn', image: 'tellwang/fn:3', labels: { 'tellwang.wok': 'wok-7', 'tellwang.role': 'functions' }, created: Date.now() }));
    const fnLine = JSON.stringify({ level: 50, time: Date.now(), msg: 'handler failed', correlation_id: cidOf(4) });
    writeFileSync(path.join(dir, `${id}-json.log`), dockerRecords({ text: fnLine, stream: 'stderr', time: Date.now() }).join(''));
    const t = await ticket(cidOf(4));
    expect(t.events[0]).toMatchObject({ source: 'container', container: { name: 'wok-7-fn' } });

    child.kill('SIGTERM');
    const code = await new Promise<number | null>((r) => child!.once('exit', (c) => r(c)));
    expect(code).toBe(0);
    const after = new SqliteStore(db, { readonly: true });
    try {
      expect((await after.stats()).events).toEqual({ cp: 3, container: 1, audit: 0 });
      // The follower thread redacted with DIAG_REDACT_PATTERNS too: the store never held the secret.
      expect((await after.eventsByCid(cidOf(3)))[0]!.message).toBe('issued [REDACTED] to the tenant');
    } finally {
      await after.close();
    }
    const bytes = Buffer.concat([db, `${db}-wal`].filter((f) => existsSync(f)).map((f) => readFileSync(f)));
    expect(bytes.includes('ACME-123456')).toBe(false);
  }, 60_000);
});
