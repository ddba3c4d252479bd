/**
 * /v1/incidents (window 24 h) measured two ways over the bench's store: in a
 * process of its own holding the store (incidents() as the server runs it,
 * bench/incidents-child.ts), and over HTTP against a real `serve` child with
 * an operator token, keep-alive. The corpus lies in the past, so the window
 * ends at its newest request (`to=`): the whole corpus falls in the window,
 * the most a day's window can hold of it.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { incidents } from '../src/queries/incidents.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { latency, type Latency } from './stats.js';

export interface IncidentsBench {
  inProcess: Latency & { codes: number };
  http: (Latency & { statuses: Record<number, number> }) | null;
}

const WARMUP = 10;

/** The newest request of the store: where the measured window ends. */
async function newest(store: SqliteStore): Promise<number> {
  return (await store.search({ limit: 1 })).items[0]?.time ?? Date.now();
}

export async function incidentsInProcess(db: string, runs: number): Promise<IncidentsBench['inProcess']> {
  const store = new SqliteStore(db);
  try {
    const to = await newest(store);
    let codes = 0;
    for (let i = 0; i < WARMUP; i++) codes = (await incidents(store, '24h', to)).codes.length;
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      await incidents(store, '24h', to);
      times.push(performance.now() - t0);
    }
    return { ...latency(times), codes };
  } finally {
    await store.close();
  }
}

/** incidentsInProcess in a child process, as lookups are measured (bench/lookup-child.ts says why). */
export function incidentsInChild(db: string, runs: number): IncidentsBench['inProcess'] {
  const input = path.join(path.dirname(db), 'incidents-input.json');
  writeFileSync(input, JSON.stringify({ db, runs }));
  const child = fileURLToPath(new URL('./incidents-child.js', import.meta.url));
  const r = spawnSync(process.execPath, [child, input], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`in-process incidents failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as IncidentsBench['inProcess'];
}

function get(agent: http.Agent, base: URL, p: string, token: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: base.hostname, port: base.port, path: p, agent, headers: { authorization: `Bearer ${token}`, accept: 'application/json' } }, (res) => {
      res.on('data', () => {});
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** GET /v1/incidents?window=24h&to=… one after another on one keep-alive connection. */
export async function incidentsOverHttp(url: string, token: string, db: string, runs: number): Promise<NonNullable<IncidentsBench['http']>> {
  const store = new SqliteStore(db);
  const to = await newest(store).finally(() => store.close());
  const base = new URL(url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const p = `/v1/incidents?window=24h&to=${to}`;
  try {
    for (let i = 0; i < WARMUP; i++) await get(agent, base, p, token);
    const times: number[] = [];
    const statuses: Record<number, number> = {};
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      const status = await get(agent, base, p, token);
      times.push(performance.now() - t0);
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
    return { ...latency(times), statuses };
  } finally {
    agent.destroy();
  }
}
