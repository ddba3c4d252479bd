/**
 * /v1/diag under load: 100 concurrent keep-alive clients on loopback against
 * the demo dataset, with results cached (the default 5 s) and uncached (cache
 * 0 ms: every request that does not join a run in progress starts one).
 * Prints p50 / p99 latency, throughput and how many check runs the load
 * caused. Bounded: a fixed number of requests per mode, and a time cap.
 *
 *   node dist/bench/diag.js
 */
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createToken } from '../src/access/api-tokens.js';
import { catalog } from '../src/catalog/catalog.js';
import { systemClock } from '../src/clock.js';
import { diagConfig } from '../src/diag/diag-config.js';
import { createDiagServices } from '../src/diag/diag-services.js';
import { createApp } from '../src/http/create-app.js';
import { listen } from '../src/http/serve.js';
import { ingestPaths } from '../src/ingest/ingest-paths.js';
import { readInventoryFile } from '../src/ingest/inventory-file.js';
import { silentLogger } from '../src/logging/logger.js';
import { DEFAULT_TICKET_OPTIONS } from '../src/queries/ticket.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { storeInventory } from '../src/store/store-inventory.js';
import { generateDemo } from '../scripts/demo/generate-demo.js';

export interface DiagBenchResult {
  mode: string;
  requests: number;
  seconds: number;
  p50: number;
  p99: number;
  max: number;
  perSecond: number;
  checkRuns: number;
  statuses: Record<number, number>;
  /** The document's status and which checks did not pass (a 503 is the health answer, not a failure of the bench). */
  health: { status: string; notPassing: string[] };
}

const CLIENTS = 100;
const PER_CLIENT = 20;
const CAP_MS = 30_000;

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}

function get(agent: http.Agent, port: number, token: string | null): Promise<{ ms: number; status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = http.request({ host: '127.0.0.1', port, path: '/v1/diag', agent, headers: token ? { authorization: `Bearer ${token}` } : {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (b: Buffer) => chunks.push(b));
      res.on('end', () => resolve({ ms: performance.now() - t0, status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });
}

function healthOf(body: string): DiagBenchResult['health'] {
  try {
    const doc = JSON.parse(body) as { status?: string; checks?: Record<string, { status?: string }[]> };
    const notPassing = Object.entries(doc.checks ?? {})
      .filter(([, ms]) => ms.some((m) => m.status !== 'pass'))
      .map(([name, ms]) => `${name}: ${ms.find((m) => m.status !== 'pass')!.status}`);
    return { status: doc.status ?? 'unknown', notPassing };
  } catch {
    return { status: 'unreadable', notPassing: [] };
  }
}

async function load(store: SqliteStore, token: string | null, mode: string, cacheMs: number): Promise<DiagBenchResult> {
  const diag = createDiagServices({ store, inventory: storeInventory(store), catalog, clock: systemClock, config: diagConfig({ cacheMs, intervalMs: 0 }) });
  const app = createApp({ store, redactor: store.redactor, inventory: storeInventory(store), catalog, logger: silentLogger(), clock: systemClock, config: { ticket: DEFAULT_TICKET_OPTIONS, trustProxy: false, bodyLimit: '1mb' }, diag });
  const s = await listen(app, 0, '127.0.0.1');
  const port = Number(new URL(s.url).port);
  const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS });
  try {
    // Warm up: connections open, templates and statements compiled.
    const warm = await Promise.all(Array.from({ length: CLIENTS }, () => get(agent, port, token)));
    const runsBefore = diag.runner.runs;
    const times: number[] = [];
    const statuses: Record<number, number> = {};
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        for (let i = 0; i < PER_CLIENT && performance.now() - started < CAP_MS; i++) {
          const r = await get(agent, port, token);
          times.push(r.ms);
          statuses[r.status] = (statuses[r.status] ?? 0) + 1;
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    times.sort((a, b) => a - b);
    return {
      mode,
      requests: times.length,
      seconds,
      p50: quantile(times, 0.5),
      p99: quantile(times, 0.99),
      max: times[times.length - 1] ?? NaN,
      perSecond: times.length / seconds,
      checkRuns: diag.runner.runs - runsBefore,
      statuses,
      health: healthOf(warm[0]?.body ?? ''),
    };
  } finally {
    agent.destroy();
    await s.close();
  }
}

export async function benchDiag(log: (line: string) => void = (l) => process.stdout.write(l + '\n')): Promise<DiagBenchResult[]> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'diag-bench-'));
  try {
    const demo = await generateDemo({ dir: path.join(dir, 'demo'), now: Date.now() });
    const store = new SqliteStore(path.join(dir, 'diag.sqlite'));
    await ingestPaths(store, demo.logPaths, { final: true });
    await store.putInventory(readInventoryFile(demo.inventoryPath));
    const { secret } = await createToken(store, 'bench', 'operator', Date.now());
    log(`/v1/diag, ${CLIENTS} concurrent keep-alive clients on loopback, ${CLIENTS * PER_CLIENT} requests per mode (demo data: ${demo.requests} requests, ${demo.containerLines} container lines)`);
    // Anonymous callers get the per-subsystem summary; operators (token checked on every request) the full document.
    const results = [
      await load(store, null, 'cached, anonymous', 5000),
      await load(store, secret, 'cached, operator', 5000),
      await load(store, null, 'uncached, anonymous', 0),
      await load(store, secret, 'uncached, operator', 0),
    ];
    for (const r of results) {
      log(
        `  ${r.mode.padEnd(20)} p50 ${r.p50.toFixed(2).padStart(7)} ms  p99 ${r.p99.toFixed(2).padStart(7)} ms  max ${r.max.toFixed(1).padStart(6)} ms  ${r.perSecond.toFixed(0).padStart(6)} req/s  check runs ${r.checkRuns}  statuses ${JSON.stringify(r.statuses)}  (${r.health.status}${r.health.notPassing.length ? `: ${r.health.notPassing.join(', ')}` : ''})`,
      );
    }
    const [c, , u] = results as [DiagBenchResult, DiagBenchResult, DiagBenchResult, DiagBenchResult];
    log(`  uncached / cached (anonymous): p50 ×${(u.p50 / c.p50).toFixed(1)}, p99 ×${(u.p99 / c.p99).toFixed(1)}; cached: ${c.checkRuns} check runs for ${c.requests} requests`);
    await store.close();
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await benchDiag();
}
