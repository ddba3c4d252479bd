/** StoreTransfer: a stream's lines in offset order and in pages, records after a time in whole times, operators, tokens and lookups written as stored. */
import { describe, expect, it } from 'vitest';
import type { Event, Unparsed } from '../../../src/model/event.js';
import type { LookupEntry } from '../../../src/model/lookup.js';
import { offsetOf } from '../../../src/store/event-codec.js';
import { IdempotencyConflict, type Store } from '../../../src/store/store.js';
import { cid, container, cpStream, dockerStream, StreamFixture, T0 } from '../../fixtures/events.js';
import type { MakeStore } from '../contract.js';
import { useStore } from './harness.js';

const ARGON = '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$0123456789abcdefghijklmnopqrstuvwxyzABCDE';
const DIGEST = (n: number) => n.toString(16).padStart(64, '0');

/** Every stored line of a stream, read in pages of `limit`: what each page held and the whole, in order. */
async function readAll(store: Store, key: string, limit: number, from = 0): Promise<{ pages: number[]; events: Event[]; unparsed: Unparsed[]; offsets: number[] }> {
  const out = { pages: [] as number[], events: [] as Event[], unparsed: [] as Unparsed[], offsets: [] as number[] };
  let at: number | null = from;
  for (let guard = 0; at !== null && guard < 100; guard++) {
    const page = await store.streamLines(key, at, limit);
    out.pages.push(page.events.length + page.unparsed.length);
    out.events.push(...page.events);
    out.unparsed.push(...page.unparsed);
    const offsets = [...page.events.map((e) => offsetOf(e.id)), ...page.unparsed.map((u) => u.offset)].sort((a, b) => a - b);
    out.offsets.push(...offsets);
    if (page.next !== null) expect(page.next).toBeGreaterThan(offsets[offsets.length - 1]!);
    at = page.next;
  }
  return out;
}

function lookup(over: Partial<LookupEntry>): LookupEntry {
  return { time: T0, actorKind: 'operator', actor: 'ana@example.com', org: null, kind: 'ticket', target: 'a1b2c3d4e5f60718', address: '127.0.0.1', ...over };
}

export function transferContract(make: MakeStore): void {
  describe('transfer (what copy reads and writes as stored)', () => {
    const cur = useStore(make);

    it("reads a stream's events and unparsed lines back in offset order, in pages that go on where the last stopped", async () => {
      const cp = new StreamFixture(cpStream('transfer'));
      const written: Event[] = [];
      const garbage: Unparsed[] = [];
      // Three batches, so the lines lie in several blocks (SQLite) with unparsed lines between them.
      for (let b = 0; b < 3; b++) {
        for (let i = 0; i < 4; i++) {
          const c = cid(`transfer-${b}-${i}`);
          written.push(cp.cpLine({ cid: c, time: T0 + b * 100 + i, msg: 'wok resolved', wok: 'w1a2b3' }));
          if (i === 1) garbage.push(cp.garbage(`junk ${b}`, T0 + b * 100 + i));
          written.push(cp.request({ cid: c, time: T0 + b * 100 + i + 1, url: '/v1/woks/w1a2b3/sql', method: 'POST', ...(b === 1 ? { status: 502, code: 'CP_EXEC_SQL_FAILED' } : {}) }));
        }
        await cur.store.writeBatch({ streams: [cp.batch()] });
      }
      const all = await readAll(cur.store, cp.key, 1000);
      expect(all.pages).toEqual([27]);
      expect(all.events).toEqual(written);
      expect(all.unparsed).toEqual(garbage);
      for (const limit of [1, 2, 5, 8]) {
        const paged = await readAll(cur.store, cp.key, limit);
        expect(paged.pages.slice(0, -1).every((n) => n === limit)).toBe(true);
        expect(paged.offsets).toEqual(all.offsets);
        expect(paged.events).toEqual(written);
        expect(paged.unparsed).toEqual(garbage);
      }
      // From an offset inside the stream: that line and the ones after it.
      const mid = all.offsets[10]!;
      expect((await readAll(cur.store, cp.key, 4, mid)).offsets).toEqual(all.offsets.slice(10));
      expect((await readAll(cur.store, cp.key, 4, mid + 1)).offsets).toEqual(all.offsets.slice(11));
      expect(await cur.store.streamLines(cp.key, all.offsets[26]! + 1, 10)).toEqual({ events: [], unparsed: [], next: null });
      expect(await cur.store.streamLines('0000000000000000', 0, 10)).toEqual({ events: [], unparsed: [], next: null });
    });

    it("reads a container stream's lines with their container, including lines stored ahead of the checkpoint", async () => {
      const ref = container('transfer-db', 'w1a2b3', 'db');
      const db = new StreamFixture(dockerStream(ref));
      const first = [db.pg({ time: T0, message: 'database system is ready to accept connections' }), db.pg({ time: T0 + 1, severity: 'ERROR', message: 'relation "x" does not exist', cid: cid('t-db') })];
      await cur.store.writeBatch({ streams: [db.batch()] });
      // A line still being joined holds the checkpoint back; the line after it is stored ahead of it.
      const pending = db.offset;
      db.skip(40);
      const ahead = db.pg({ time: T0 + 3, message: 'checkpoint starting: time' });
      await cur.store.writeBatch({ streams: [db.batch({ offset: pending })] });
      expect((await cur.store.checkpoint(db.key))!.offset).toBe(pending);
      const all = await readAll(cur.store, db.key, 1);
      expect(all.events).toEqual([...first, ahead]);
      expect(all.events.every((e) => e.source === 'container' && e.container.id === ref.id && e.container.role === 'db')).toBe(true);
      expect((await readAll(cur.store, db.key, 10, pending)).events).toEqual([ahead]);
    });

    it('pages health records and lookups after a time in whole times, oldest first, and says the newest time of each', async () => {
      expect(await cur.store.newestRecords()).toEqual({ checks: null, lookups: null });
      const checks = [
        { check: 'cp_db', status: 'pass' as const, time: T0, output: null },
        { check: 'ingest', status: 'warn' as const, time: T0, output: 'cp silent for 16 min' },
        { check: 'cp_db', status: 'fail' as const, time: T0 + 30_000, output: 'unreachable' },
        { check: 'ingest', status: 'pass' as const, time: T0 + 30_000, output: null },
        { check: 'cp_db', status: 'pass' as const, time: T0 + 60_000, output: null },
      ];
      await cur.store.recordChecks(checks);
      // A page of one holds both records of its time.
      expect(await cur.store.checksAfter(Number.MIN_SAFE_INTEGER, 1)).toEqual(checks.slice(0, 2));
      expect(await cur.store.checksAfter(T0, 3)).toEqual(checks.slice(2));
      expect(await cur.store.checksAfter(T0, 1)).toEqual(checks.slice(2, 4));
      expect(await cur.store.checksAfter(T0 + 60_000, 10)).toEqual([]);

      const entries = [lookup({ time: T0 + 5, target: 'a' }), lookup({ time: T0 + 5, actorKind: 'customer', actor: 'skl_1a2b3c4d', org: 'acme', kind: 'reply', target: 'b', address: null }), lookup({ time: T0 + 9, kind: 'search', target: 'code=CP_X' })];
      await cur.store.importLookups(entries);
      await cur.store.importLookups([]);
      expect(await cur.store.lookupsAfter(Number.MIN_SAFE_INTEGER, 1)).toEqual(entries.slice(0, 2));
      expect(await cur.store.lookupsAfter(T0 + 5, 1)).toEqual(entries.slice(2));
      // Written as they were: the audit of lookups lists them newest first as it lists its own.
      expect((await cur.store.lookups({})).items.map(({ id: _id, ...e }) => e)).toEqual([entries[2], entries[1], entries[0]]);
      expect(await cur.store.newestRecords()).toEqual({ checks: T0 + 60_000, lookups: T0 + 9 });
    });

    it('imports operators and tokens as stored (hashes, times, revocation), keeping what is already there', async () => {
      const op = { email: 'Ana@Example.com', passwordHash: ARGON, createdAt: T0, disabledAt: T0 + 5 };
      expect(await cur.store.importOperator(op)).toBe(true);
      expect(await cur.store.operatorByEmail('ana@example.com')).toEqual({ ...op, id: expect.any(Number) });
      expect(await cur.store.importOperator({ ...op, email: 'ana@example.com', passwordHash: 'other' })).toBe(false);
      expect((await cur.store.listOperators()).map((o) => o.passwordHash)).toEqual([ARGON]);

      const revoked = { name: 'ci', scope: 'operator' as const, hash: DIGEST(1), createdAt: T0, revokedAt: T0 + 1, lastUsedAt: T0 + 1 };
      const live = { name: 'ci', scope: 'ingest' as const, hash: DIGEST(2), createdAt: T0 + 2, revokedAt: null, lastUsedAt: null };
      expect(await cur.store.importToken(revoked)).toBe(true);
      expect(await cur.store.importToken(live)).toBe(true);
      expect(await cur.store.tokenByHash(DIGEST(1))).toEqual({ ...revoked, id: expect.any(Number) });
      expect(await cur.store.tokenByHash(DIGEST(2))).toEqual({ ...live, id: expect.any(Number) });
      // The same digest, or a second live token of one name, is not written.
      expect(await cur.store.importToken({ ...live, name: 'other' })).toBe(false);
      expect(await cur.store.importToken({ ...live, hash: DIGEST(3) })).toBe(false);
      expect((await cur.store.listTokens()).map((t) => t.hash)).toEqual([DIGEST(1), DIGEST(2)]);
    });

    it('lists Idempotency-Keys by key in pages and imports them as stored: a repeat answers as before, another body under one is refused', async () => {
      const cp = new StreamFixture(cpStream('idem'));
      cp.cpLine({ cid: cid('idem'), time: T0, msg: 'pushed' });
      const stored = await cur.store.writeBatch({ streams: [cp.batch()], idempotency: { key: 'push:ci:k0', digest: 'd0' } });
      const [own] = await cur.store.idempotencyAfter('', 10);
      expect(own).toEqual({ key: 'push:ci:k0', digest: 'd0', result: JSON.stringify(stored), createdAt: expect.any(Number) });
      const result = JSON.stringify({ events: 3, unparsed: 1, duplicate: false });
      const entries = ['push:ci:k1', 'push:ci:k2', 'push:ci:k3'].map((key, i) => ({ key, digest: `d${i + 1}`, result, createdAt: T0 + i }));
      expect(await cur.store.importIdempotency([own!, ...entries])).toBe(3);
      expect(await cur.store.importIdempotency([])).toBe(0);
      expect(await cur.store.idempotencyAfter('', 2)).toEqual([own, entries[0]]);
      expect(await cur.store.idempotencyAfter('push:ci:k1', 2)).toEqual(entries.slice(1));
      expect(await cur.store.idempotencyAfter('push:ci:k3', 2)).toEqual([]);
      // The imported keys hold as the store's own: the same body answers the stored result, another one is refused.
      const again = new StreamFixture(cpStream('idem-2'));
      again.cpLine({ cid: cid('idem-2'), time: T0, msg: 'pushed again' });
      expect(await cur.store.writeBatch({ streams: [again.batch()], idempotency: { key: 'push:ci:k2', digest: 'd2' } })).toEqual({ events: 3, unparsed: 1, duplicate: true });
      await expect(cur.store.writeBatch({ streams: [again.batch()], idempotency: { key: 'push:ci:k2', digest: 'other' } })).rejects.toBeInstanceOf(IdempotencyConflict);
    });
  });
}
