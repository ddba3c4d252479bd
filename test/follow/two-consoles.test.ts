/**
 * Two consoles on one database: two real `serve --follow` processes (the
 * built CLI) on one PostgreSQL scratch schema, following the same directory
 * of cp logs that grow and are rotated (rename + new file) while this test
 * writes. Midway one console is `kill -9`-ed and started again. The streams
 * are split between the two by their leases, the killed console's streams
 * are taken over, every line is stored exactly once, and both consoles
 * answer the same ticket JSON. Short leases (DIAG_LEASE_TTL_MS) keep it quick.
 * Needs `npx tsc -p tsconfig.json` first (it runs dist/).
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createToken } from '../../src/access/api-tokens.js';
import type { LeaseTable } from '../../src/model/lease.js';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { requireBuiltCli, startServe, type Serving } from '../fixtures/built-cli.js';
import { tempDir, type TempDir } from '../fixtures/temp-dir.js';
import { waitFor } from '../fixtures/wait-for.js';
import { dropSchema, PG_URL, scratchSchemaName } from '../store/pg-scratch.js';
import { cidOf, lineText } from './follow-model.js';

const FILES = ['api.log', 'worker.log', 'sched.log', 'edge.log'];
const TOTAL = 2400;
const ENV = { DIAG_LEASE_TTL_MS: '1500', DIAG_LEASE_RENEW_MS: '250', DIAG_CHECK_INTERVAL_MS: '0', DIAG_LOG_LEVEL: 'info' };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const schema = scratchSchemaName('leases');
const DB = `${PG_URL}?schema=${schema}`;
let tmp: TempDir | null = null;
const consoles: Serving[] = [];
let reader: PostgresStore | null = null;

afterAll(async () => {
  for (const c of consoles) await c.stop('SIGKILL');
  await reader?.close();
  await dropSchema(schema);
  tmp?.remove();
});

/** A deterministic generator, so a failure can be replayed (LEASE_SEED). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** The holder id of a console's process (lease-keeper.ts: host:pid:tag). */
function holderOf(c: Serving): string {
  return `${hostname()}:${c.child.pid}:`;
}

function heldBy(t: LeaseTable, c: Serving): string[] {
  return t.leases.filter((l) => l.expiresInMs > 0 && l.holder.startsWith(holderOf(c))).map((l) => l.key);
}

/** The follower's totals, from the log line a console writes when its follower stops. */
function followTotals(output: string): { lines: number; duplicates: number } {
  for (const line of output.split('\n')) {
    if (!line.startsWith('{')) continue;
    const j = JSON.parse(line) as { msg?: string; totals?: { lines: number; duplicates: number } };
    if (j.msg === 'follow stopped' && j.totals) return j.totals;
  }
  throw new Error(`no "follow stopped" line in: ${output.slice(-2000)}`);
}

describe('two serve --follow consoles on one PostgreSQL schema', () => {
  it('split the streams by leases, take over a kill -9-ed console\'s streams, store every line once and answer the same tickets', async () => {
    requireBuiltCli();
    const seed = Number(process.env.LEASE_SEED ?? Date.now() % 100000);
    const rand = rng(seed);
    tmp = tempDir('diag-two-consoles-');
    const logs = tmp.file('logs');
    mkdirSync(logs);
    for (const f of FILES) writeFileSync(path.join(logs, f), '');
    reader = await PostgresStore.open({ connectionString: PG_URL, schema });
    const token = (await createToken(reader, 'ops', 'operator', Date.now())).secret;
    const auth = { authorization: `Bearer ${token}` };

    const a = await startServe(['--db', DB, '--follow', logs], { env: ENV });
    consoles.push(a);
    let b = await startServe(['--db', DB, '--follow', logs], { env: ENV });
    consoles.push(b);

    // The writer: a few lines at a time to one of the files, now and then a rotation (rename, then a new file).
    let written = 0;
    const rotations = new Map<string, number>();
    const writer = (async () => {
      while (written < TOTAL) {
        const f = FILES[Math.floor(rand() * FILES.length)]!;
        const live = path.join(logs, f);
        const n = Math.min(TOTAL - written, 1 + Math.floor(rand() * 12));
        let chunk = '';
        for (let i = 0; i < n; i++) chunk += lineText(written + i) + '\n';
        writeFileSync(live, chunk, { flag: 'a' });
        written += n;
        if (rand() < 0.02) {
          const k = (rotations.get(f) ?? 0) + 1;
          rotations.set(f, k);
          renameSync(live, `${live}.${k}`);
          writeFileSync(live, '');
        }
        await sleep(4 + Math.floor(rand() * 8));
      }
    })();

    // Both consoles hold leases: the streams are split.
    const split = await waitFor('both consoles to hold leases', async () => {
      const t = await reader!.leaseTable();
      return heldBy(t, a).length > 0 && heldBy(t, b).length > 0 ? t : null;
    }, 30_000);
    const bKeys = heldBy(split, b);
    const before = new Map(split.leases.map((l) => [l.key, l.epoch]));
    // stats (GET /v1/stats) shows the two consoles and their streams.
    const stats = (await (await fetch(`${a.url}/v1/stats`, { headers: auth })).json()) as { leases: { holders: { holder: string; alive: boolean; streams: number }[] } };
    expect(stats.leases.holders.filter((h) => h.alive && h.streams > 0)).toHaveLength(2);
    // The ingest check of /diag names which console reads which stream.
    const diag = (await (await fetch(`${b.url}/v1/diag/ingest?verbose`, { headers: auth })).json()) as { checks: Record<string, { componentId?: string; observedValue?: unknown }[]> };
    const readers = (diag.checks['ingest:streamLease'] ?? []).map((m) => String(m.observedValue));
    expect(readers.some((h) => h.startsWith(holderOf(a)))).toBe(true);
    expect(readers.some((h) => h.startsWith(holderOf(b)))).toBe(true);
    expect(diag.checks['ingest:leases']?.[0]?.observedValue).toBeGreaterThan(1);

    // kill -9 one console midway, while lines are still being written.
    await waitFor('a third of the lines written', async () => (written >= TOTAL / 3 ? true : null), 60_000);
    const killed = holderOf(b);
    await b.stop('SIGKILL');
    // Its streams are taken over by the other console: held by another holder, at a later epoch.
    await waitFor('the killed console\'s streams taken over', async () => {
      const t = await reader!.leaseTable();
      const ok = bKeys.every((k) => t.leases.some((l) => l.key === k && l.expiresInMs > 0 && l.holder.startsWith(holderOf(a)) && l.epoch > before.get(k)!));
      return ok ? true : null;
    }, 30_000);
    expect((await reader.leaseTable()).leases.filter((l) => l.expiresInMs > 0 && l.holder.startsWith(killed))).toEqual([]);

    // Started again: it is a new holder, and gets its share back.
    b = await startServe(['--db', DB, '--follow', logs], { env: ENV });
    consoles.push(b);
    await waitFor('the restarted console to hold leases', async () => (heldBy(await reader!.leaseTable(), b).length > 0 ? true : null), 30_000);
    await writer;

    // Every line exactly once.
    await waitFor('every line stored', async () => ((await reader!.stats()).events.cp >= TOTAL ? true : null), 60_000);
    await sleep(1000);
    const wrong: string[] = [];
    for (let n = 0; n < TOTAL; n++) {
      const k = (await reader.eventsByCid(cidOf(n))).length;
      if (k !== 1) wrong.push(`line ${n}: ${k}`);
    }
    const st = await reader.stats();
    expect({ seed, wrong: wrong.slice(0, 20), cp: st.events.cp, unparsed: st.unparsed }).toEqual({ seed, wrong: [], cp: TOTAL, unparsed: 0 });
    expect([...rotations.values()].reduce((x, y) => x + y, 0)).toBeGreaterThan(0);

    // Both consoles answer the same ticket JSON.
    for (const n of [0, Math.floor(TOTAL / 2), TOTAL - 1]) {
      const [ja, jb] = await Promise.all(
        [a, b].map(async (c) => {
          const r = await fetch(`${c.url}/v1/tickets/${cidOf(n)}`, { headers: auth });
          expect(r.status).toBe(200);
          return (await r.json()) as unknown;
        }),
      );
      expect(jb).toEqual(ja);
    }

    // A clean stop gives the leases up at once.
    for (const c of [a, b]) expect(await c.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    expect((await reader.leaseTable()).leases.filter((l) => l.expiresInMs > 0)).toEqual([]);
    // Neither read a line the other had stored already: each stream was read by one console at a time.
    // (The restarted one may have been given only streams with nothing left to read.)
    expect(followTotals(a.output()).lines).toBeGreaterThan(0);
    for (const c of [a, b]) expect(followTotals(c.output()).duplicates).toBe(0);
  }, 240_000);
});
