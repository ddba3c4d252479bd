/**
 * Request search three ways — by code, by org, by free text — in this process
 * (findRequests on the store, as the server runs it) and over HTTP against a
 * real `serve` child (GET /v1/search with an operator token): each query asks
 * for the newest 50 and the count, as the search page does.
 */
import type { RequestFilter } from '../src/store/search-filter.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { latency, type Latency } from './stats.js';

export type SearchKind = 'code' | 'org' | 'text';

export interface SearchCase extends Latency {
  kind: SearchKind;
  /** Rows on the first page and the count, on average. */
  rows: number;
  count: number;
}

export interface SearchBenchResult {
  inProcess: SearchCase[];
  http: SearchCase[] | null;
}

/** The corpus's codes, orgs (org0…org5) and words of its messages of every source, rotated through. */
const QUERIES: Record<SearchKind, RequestFilter[]> = {
  code: [{ code: 'CP_EXEC_SQL_FAILED' }, { code: 'CP_PROJECT_NOT_FOUND' }],
  org: Array.from({ length: 6 }, (_, i) => ({ org: `org${i}` })),
  text: [{ q: 'ECONNREFUSED' }, { q: 'payload larger' }, { q: 'no active project' }],
};

const KINDS: SearchKind[] = ['code', 'org', 'text'];

function params(f: RequestFilter): string {
  return new URLSearchParams(Object.entries(f).map(([k, v]): [string, string] => [k, String(v)])).toString();
}

export async function searchInProcess(db: string, perKind: number): Promise<SearchCase[]> {
  const store = new SqliteStore(db);
  try {
    const out: SearchCase[] = [];
    for (const kind of KINDS) {
      const qs = QUERIES[kind];
      for (const f of qs) await store.findRequests({ ...f, limit: 50 });
      const times: number[] = [];
      let rows = 0;
      let count = 0;
      for (let i = 0; i < perKind; i++) {
        const t0 = performance.now();
        const page = await store.findRequests({ ...qs[i % qs.length]!, limit: 50 });
        times.push(performance.now() - t0);
        rows += page.items.length;
        count += page.count.value;
      }
      out.push({ kind, ...latency(times), rows: rows / perKind, count: count / perKind });
    }
    return out;
  } finally {
    await store.close();
  }
}

export async function searchOverHttp(url: string, token: string, perKind: number): Promise<SearchCase[]> {
  const out: SearchCase[] = [];
  const get = async (f: RequestFilter) => {
    const res = await fetch(`${url}/v1/search?limit=50&${params(f)}`, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } });
    if (res.status !== 200) throw new Error(`GET /v1/search?${params(f)}: ${res.status} ${await res.text()}`);
    return (await res.json()) as { items: unknown[]; count: number };
  };
  for (const kind of KINDS) {
    const qs = QUERIES[kind];
    for (const f of qs) await get(f);
    const times: number[] = [];
    let rows = 0;
    let count = 0;
    for (let i = 0; i < perKind; i++) {
      const t0 = performance.now();
      const body = await get(qs[i % qs.length]!);
      times.push(performance.now() - t0);
      rows += body.items.length;
      count += body.count;
    }
    out.push({ kind, ...latency(times), rows: rows / perKind, count: count / perKind });
  }
  return out;
}
