/**
 * Ticket lookups three ways, for the same kind of ids: in this process
 * (buildTicket on the store, as the server runs it), over HTTP against a real
 * `serve` child (GET /v1/tickets/:cid with an operator token, keep-alive), and
 * by `rg -F` / `grep -F` over the raw files, what one would do without us.
 * The store is a target as `--db` takes it: a SQLite file or a postgres:// URL
 * with its schema, opened by open-store.ts as the server opens it.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { catalog } from '../src/catalog/catalog.js';
import { buildTicket } from '../src/queries/ticket.js';
import { DEFAULT_REDACTOR } from '../src/redact/redactor.js';
import { openStore } from '../src/store/open-store.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { latency, type Latency } from './stats.js';

export interface LookupResult extends Latency {
  /** Ids that found no ticket (or a non-200 answer): should be 0, every id is in the corpus. */
  missing: number;
  /** Events in the tickets found, on average. */
  eventsPerTicket: number;
  seconds: number;
}

export interface SegmentStats {
  segments: number;
  entries: number;
  smallest: number;
  largest: number;
  byLevel: Record<number, number>;
}

const WARMUP = 100;

/** The lookups on the store at `target`, with the SQLite store's cid index segments (null on PostgreSQL, which has none). */
export async function lookupInProcess(target: string, ids: string[], warmup: string[], capSeconds: number): Promise<LookupResult & { segmentStats: SegmentStats | null }> {
  const store = await openStore(target, { redactor: DEFAULT_REDACTOR });
  try {
    for (const cid of warmup.slice(0, WARMUP)) await buildTicket(store, catalog, cid);
    const times: number[] = [];
    let missing = 0;
    let events = 0;
    const started = performance.now();
    for (const cid of ids) {
      const t0 = performance.now();
      const t = await buildTicket(store, catalog, cid);
      times.push(performance.now() - t0);
      if (!t) missing++;
      else events += t.events.length;
      if ((performance.now() - started) / 1000 > capSeconds) break;
    }
    const seconds = (performance.now() - started) / 1000;
    return { ...latency(times), missing, eventsPerTicket: events / Math.max(1, times.length - missing), seconds, segmentStats: store instanceof SqliteStore ? segmentStats(store) : null };
  } finally {
    await store.close();
  }
}

/**
 * lookupInProcess in a process of its own (bench/lookup-child.ts), its input
 * written to `workDir`: the bench process carries the corpus generator's and
 * the baseline's heap, whose collections would land in the measured lookups.
 */
export function lookupInChild(target: string, ids: string[], warmup: string[], capSeconds: number, workDir: string): LookupResult & { segmentStats: SegmentStats | null } {
  const input = path.join(workDir, 'lookup-input.json');
  writeFileSync(input, JSON.stringify({ target, ids, warmup, capSeconds }));
  const child = fileURLToPath(new URL('./lookup-child.js', import.meta.url));
  const r = spawnSync(process.execPath, [child, input], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`in-process lookups failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as LookupResult & { segmentStats: SegmentStats | null };
}

function segmentStats(store: SqliteStore): SegmentStats {
  const row = store.db.prepare('SELECT COUNT(*) AS segments, COALESCE(SUM(n), 0) AS entries, COALESCE(MIN(n), 0) AS smallest, COALESCE(MAX(n), 0) AS largest FROM segs').get() as Omit<SegmentStats, 'byLevel'>;
  const byLevel: Record<number, number> = {};
  for (const r of store.db.prepare('SELECT level, COUNT(*) AS n FROM segs GROUP BY level ORDER BY level').all() as { level: number; n: number }[]) byLevel[r.level] = r.n;
  return { ...row, byLevel };
}

function get(agent: http.Agent, base: URL, path: string, token: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: base.hostname, port: base.port, path, agent, headers: { authorization: `Bearer ${token}`, accept: 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (b: Buffer) => chunks.push(b));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** `concurrency` keep-alive clients share the ids; each measures its requests one after another. */
export async function lookupOverHttp(url: string, token: string, ids: string[], warmup: string[], concurrency: number, capSeconds: number): Promise<LookupResult & { statuses: Record<number, number> }> {
  const base = new URL(url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  try {
    for (const cid of warmup.slice(0, WARMUP)) await get(agent, base, `/v1/tickets/${cid}`, token);
    const times: number[] = [];
    const statuses: Record<number, number> = {};
    let missing = 0;
    let events = 0;
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < ids.length && (performance.now() - started) / 1000 < capSeconds) {
          const cid = ids[next++]!;
          const t0 = performance.now();
          const r = await get(agent, base, `/v1/tickets/${cid}`, token);
          times.push(performance.now() - t0);
          statuses[r.status] = (statuses[r.status] ?? 0) + 1;
          if (r.status !== 200) missing++;
          else events += ((JSON.parse(r.body) as { events?: unknown[] }).events ?? []).length;
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    return { ...latency(times), missing, eventsPerTicket: events / Math.max(1, times.length - missing), seconds, statuses };
  } finally {
    agent.destroy();
  }
}

export interface GrepResult extends Latency {
  tool: string;
  /** Matching lines per id, on average. */
  linesPerId: number;
  missing: number;
}

/** The same lookup with a fixed-string search over the raw files: every line holding the id. */
export function lookupByGrep(dir: string, ids: string[]): GrepResult {
  const rg = spawnSync('rg', ['--version'], { encoding: 'utf8' });
  const tool = rg.status === 0 ? 'rg -F' : 'grep -rF';
  const times: number[] = [];
  let lines = 0;
  let missing = 0;
  for (const cid of ids) {
    const args = rg.status === 0 ? ['-F', '--no-heading', '--no-config', cid, dir] : ['-rF', cid, dir];
    const t0 = performance.now();
    const r = spawnSync(tool.split(' ')[0]!, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    times.push(performance.now() - t0);
    if (r.status === 2 || r.error) throw new Error(`${tool} failed: ${r.error?.message ?? r.stderr}`);
    const n = r.stdout ? r.stdout.split('\n').filter(Boolean).length : 0;
    if (n === 0) missing++;
    lines += n;
  }
  return { ...latency(times), tool, linesPerId: lines / Math.max(1, ids.length), missing };
}
