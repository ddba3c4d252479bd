/**
 * A SQLite file written before blocks were packed: its blocks hold their
 * encoded lines as TEXT. Such a file is read as it is, no migration rewrites
 * it, and new blocks are packed beside the old ones. The old rows are made
 * here as that version wrote them: the stored lines (encodeForStore) joined by
 * newlines and the requests' summary tuples as JSON, bound as strings, over
 * the same blocks rows.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { Event } from '../../src/model/event.js';
import { DEFAULT_REDACTOR } from '../../src/redact/redactor.js';
import { encodeForStore } from '../../src/store/event-codec.js';
import { summarize } from '../../src/model/request.js';
import { requestTuple } from '../../src/store/summary-codec.js';
import { MIGRATIONS } from '../../src/store/sqlite/migrations.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { cid, container, cpStream, dockerStream, StreamFixture, T0 } from '../fixtures/events.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const ctr = container('old-db', 'w1', 'db');
const A = cid('old-a');
const B = cid('old-b');

/** What every event read gives for the stored lines: a ticket, the lines around one, a wok's context and a container's tail. */
async function reads(store: Store, around: string) {
  return {
    a: await store.eventsByCid(A),
    b: await store.eventsByCid(B),
    around: await store.aroundEvent(around, 3),
    context: await store.containerEvents({ wok: 'w1', from: T0 - 60_000, to: T0 + 60_000, limit: 50, notable: true }),
    everything: await store.containerEvents({ wok: 'w1', from: T0 - 60_000, to: T0 + 60_000, limit: 50 }),
    tail: await store.containerTail(ctr.id, 4),
    requests: (await store.search({ from: T0 - 60_000, to: T0 + 60_000, limit: 10 })).items,
  };
}

describe('SQLite blocks written before blocks were packed', () => {
  it('are read as they are, beside packed blocks written after them', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'diag-unpacked-'));
    dirs.push(dir);
    const file = path.join(dir, 'diag.sqlite');
    const cp = new StreamFixture(cpStream('old'));
    const db = new StreamFixture(dockerStream(ctr));
    const events: Record<string, Event[]> = { [cp.key]: [], [db.key]: [] };
    for (let i = 0; i < 6; i++) {
      const c = i % 2 ? B : A;
      events[cp.key]!.push(cp.cpLine({ cid: c, time: T0 + i * 10, wok: 'w1', msg: `step ${i} of the request` }));
      events[db.key]!.push(db.pg({ time: T0 + i * 10 + 1, cid: c, severity: i === 3 ? 'ERROR' : 'LOG', message: i === 3 ? 'relation "t" does not exist' : `duration: ${i}.2 ms  statement: SELECT ${i}` }));
    }
    events[cp.key]!.push(cp.request({ cid: A, time: T0 + 100, url: '/v1/woks/w1/sql', method: 'POST', status: 502, wok: 'w1', code: 'CP_EXEC_SQL_FAILED' }));
    const around = events[db.key]![2]!.id;

    let store = new SqliteStore(file);
    await store.writeBatch({ streams: [cp.batch(), db.batch()] });
    const packed = await reads(store, around);
    expect(packed.a.length).toBe(7);
    expect(packed.around?.before).toHaveLength(2);
    expect(packed.context.map((e) => e.level)).toEqual(['error']);
    await store.close();

    // The version before packing wrote the same rows with the lines as text.
    const raw = new Database(file);
    expect(raw.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    const rows = raw.prepare('SELECT b.id, s.key, typeof(b.data) AS type FROM blocks b JOIN streams s ON s.id = b.stream').all() as { id: number; key: string; type: string }[];
    expect(rows.map((r) => r.type)).toEqual(['blob', 'blob']);
    expect(raw.prepare('SELECT typeof(summary) FROM blocks ORDER BY id').pluck().all()).toEqual(['blob', 'null']);
    for (const r of rows) {
      const lines = events[r.key]!.map((e) => encodeForStore(e, DEFAULT_REDACTOR)).join('\n');
      const requests = events[r.key]!.flatMap((e) => (e.source === 'cp' && e.http ? [requestTuple(summarize(e)!)] : []));
      raw.prepare('UPDATE blocks SET data = ?, summary = ? WHERE id = ?').run(lines, requests.length ? JSON.stringify(requests) : null, r.id);
    }
    expect(raw.prepare('SELECT typeof(data), typeof(summary) FROM blocks ORDER BY id').raw().all()).toEqual([
      ['text', 'text'],
      ['text', 'null'],
    ]);
    raw.close();

    store = new SqliteStore(file);
    try {
      expect(await reads(store, around)).toEqual(packed);
      // New lines of the same requests go into packed blocks; a ticket reads both kinds.
      const more = [cp.cpLine({ cid: A, time: T0 + 200, wok: 'w1', msg: 'after the upgrade' }), db.pg({ time: T0 + 201, cid: A, severity: 'WARNING', message: 'late warning' })];
      await store.writeBatch({ streams: [cp.batch(), db.batch()] });
      expect(store.db.prepare('SELECT typeof(data) FROM blocks ORDER BY id').pluck().all()).toEqual(['text', 'text', 'blob', 'blob']);
      // A request ended after the upgrade (started 12 ms before its line): its summary is packed, and a search reads it beside the old one.
      more.push(cp.request({ cid: A, time: T0 + 202, url: '/v1/woks/w1', status: 200, wok: 'w1' }));
      await store.writeBatch({ streams: [cp.batch()] });
      expect(store.db.prepare('SELECT typeof(summary) FROM blocks ORDER BY id').pluck().all()).toEqual(['text', 'null', 'null', 'null', 'blob']);
      const found = (await store.search({ from: T0 - 60_000, to: T0 + 60_000, limit: 10 })).items;
      expect(found.map((r) => r.time)).toEqual([T0 + 202 - 12, ...packed.requests.map((r) => r.time)]);
      const a = await store.eventsByCid(A);
      expect(a).toEqual([...packed.a, ...more].sort((x, y) => x.time - y.time));
      const after = await store.aroundEvent(events[db.key]![5]!.id, 2);
      expect(after?.after.map((e) => e.message)).toEqual(['late warning']);
      expect((await store.prune(T0 + 150)).events).toBe(13);
      expect(await store.eventsByCid(A)).toEqual(more);
    } finally {
      await store.close();
    }
  });
});
