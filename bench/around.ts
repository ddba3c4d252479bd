/**
 * The lines around an event (n = 50 either side) and one row in the audit of
 * lookups, timed in this process over the bench's store after the ticket
 * lookups: what an "around" link and the record every lookup writes cost.
 */
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { latency, type Latency } from './stats.js';

export interface AroundBenchResult {
  around: Latency & { lines: number };
  record: Latency;
}

export async function benchAround(db: string, cids: readonly string[]): Promise<AroundBenchResult> {
  const store = new SqliteStore(db);
  try {
    const ids: string[] = [];
    for (const cid of cids) {
      const [first] = await store.eventsByCid(cid);
      if (first) ids.push(first.id);
    }
    const around: number[] = [];
    let lines = 0;
    for (const id of ids) {
      const t0 = performance.now();
      const a = await store.aroundEvent(id, 50);
      around.push(performance.now() - t0);
      lines += a ? a.before.length + a.after.length + 1 : 0;
    }
    const record: number[] = [];
    for (const id of ids) {
      const t0 = performance.now();
      await store.recordLookup({ time: Date.now(), actorKind: 'token', actor: 'bench', org: null, kind: 'around', target: id, address: '127.0.0.1' });
      record.push(performance.now() - t0);
    }
    return { around: { ...latency(around), lines: ids.length ? lines / ids.length : 0 }, record: latency(record) };
  } finally {
    await store.close();
  }
}
