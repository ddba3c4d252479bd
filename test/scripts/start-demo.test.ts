/**
 * `npm start` end to end, from the built script: in an empty directory it
 * writes the demo, ingests it into a fresh store, serves on the port asked
 * for and prints the URL, the ingest counts and three ticket links; a second
 * run starts from scratch again.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { catalog } from '../../src/catalog/catalog.js';
import { projectRoot } from '../../src/project-root.js';
import { buildTicket } from '../../src/queries/ticket.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { tempDir } from '../fixtures/temp-dir.js';

const script = path.join(projectRoot(), 'dist', 'scripts', 'start-demo.js');
const cwd = tempDir('tellwang-start-');
afterAll(() => cwd.remove());

/** Runs start-demo until it has printed its banner, checks it serves, stops it; returns what it printed. */
async function startDemo(probe: (url: string, out: string) => Promise<void> = async () => {}): Promise<string> {
  const env: NodeJS.ProcessEnv = { ...process.env, DIAG_LOG_LEVEL: 'warn' };
  delete env.DIAG_PORT;
  delete env.DIAG_HOST;
  const child = spawn(process.execPath, [script, '--port', '0'], { cwd: cwd.dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString('utf8')));
  child.stderr.on('data', (b: Buffer) => (out += b.toString('utf8')));
  const exited = new Promise<number | string | null>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  try {
    const deadline = Date.now() + 40_000;
    while (!out.includes('Paste any correlation id') && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 50));
    expect(out).toContain('Paste any correlation id');
    const url = /serving (http:\/\/127\.0\.0\.1:\d+)/.exec(out)![1]!;
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    await probe(url, out);
  } finally {
    child.kill('SIGTERM');
  }
  // serve() has its signal handlers before it prints the banner: a SIGTERM at once still closes the store and exits 0.
  expect(await exited).toBe(0);
  return out;
}

describe('npm start (scripts/start-demo.ts)', () => {
  it('writes, ingests and serves the demo, and prints the three tickets', async () => {
    expect(existsSync(script), `${script} is missing: run npm run build`).toBe(true);
    const first = await startDemo(async (url, out) => {
      // The customer keys it prints are of several lengths, and each signs its customer in.
      const keys = [...out.matchAll(/^ {2}(\S+) +\S+@\S+ +(\d+) hex {2}(skl_[0-9a-f]+)$/gm)].map(([, org, n, key]) => ({ org: org!, n: Number(n), key: key! }));
      expect(keys.map((k) => k.n).sort((a, b) => a - b)).toEqual([32, 48, 64, 64, 128]);
      for (const k of keys) {
        expect(k.key).toHaveLength(4 + k.n);
        const r = await fetch(`${url}/v1/diag/wok/ledger`, { headers: { authorization: `Bearer ${k.key}` } });
        // acme's keys see its wok ledger; another org's key is signed in too, and told it has no such wok.
        expect([k.org, k.n, r.status]).toEqual([k.org, k.n, k.org === 'acme' ? 200 : 404]);
      }
    });
    expect(first).toMatch(/^demo: \d+ requests/m);
    expect(first).toMatch(/^ {2}unparsed {3}\d+/m);
    expect(first).toMatch(/^imported 4 orgs, 7 woks, 8 keys$/m);
    expect(Number(/^replayed health history: (\d+) check results over the last 5 h$/m.exec(first)?.[1])).toBeGreaterThan(0);
    const links = [...first.matchAll(/\/tickets\/([0-9a-f]{16})\n {6}(\S.*)/g)];
    expect(links).toHaveLength(3);
    const stored = Number(/^stored (\d+) new events/m.exec(first)![1]);

    const store = new SqliteStore(path.join(cwd.dir, 'data', 'demo.sqlite'));
    try {
      const tickets = await Promise.all(links.map(([, cid]) => buildTicket(store, catalog, cid!)));
      for (const t of tickets) expect(t?.error?.code).toMatch(/^CP_/);
      // The replayed history puts "Platform health at the time" on the featured failures.
      expect(tickets.some((t) => (t?.health ?? []).length > 0), JSON.stringify(tickets.map((t) => t?.health))).toBe(true);
      expect(await store.operatorByEmail('demo@tellwang.local')).not.toBeNull();
    } finally {
      await store.close();
    }

    // From scratch again: the same number of events, none "already stored".
    const second = await startDemo();
    expect(Number(/^stored (\d+) new events/m.exec(second)![1])).toBe(stored);
    expect(second).not.toContain('already stored');
  });
});
