/**
 * copyStore between real stores in the directions the CLI test does not take:
 * PostgreSQL into SQLite and SQLite into SQLite. Streams of every source with
 * unparsed lines, a Docker stream whose checkpoint waits on an unfinished line
 * with a line stored ahead of it, a journald place (a stream without lines),
 * operators, tokens, health records and lookups; a copy stopped after its
 * first page and run again; and the checkpoints, counters and reads after.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Event } from '../../src/model/event.js';
import { createRedactor } from '../../src/redact/redactor.js';
import { copyStore } from '../../src/store/copy-store.js';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { IdempotencyConflict, type Store } from '../../src/store/store.js';
import { auditStream, checkpoint, cid, container, cpStream, dockerStream, StreamFixture, T0 } from '../fixtures/events.js';
import { tempDir, type TempDir } from '../fixtures/temp-dir.js';
import { dropSchema, PG_URL, scratchSchemaName } from './pg-scratch.js';

const schema = scratchSchemaName('copy_store');
const dirs: TempDir[] = [];
const open: Store[] = [];

afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
  for (const d of dirs.splice(0)) d.remove();
});
afterAll(() => dropSchema(schema));

function sqlite(): Store {
  const d = tempDir('diag-copy-');
  dirs.push(d);
  const s = new SqliteStore(d.file('diag.sqlite'));
  open.push(s);
  return s;
}

async function postgres(): Promise<Store> {
  await dropSchema(schema);
  const s = await PostgresStore.open({ connectionString: PG_URL, schema });
  open.push(s);
  return s;
}

/** Fills `store` with a bit of everything; returns the ids logged and the stream whose checkpoint waits on a pending line. */
async function fill(store: Store): Promise<{ cids: string[]; docker: string; pending: number }> {
  const cp = new StreamFixture(cpStream('copy'));
  const au = new StreamFixture(auditStream('copy'));
  const db = new StreamFixture(dockerStream(container('copy-db', 'w1a2b3', 'db')));
  const cids: string[] = [];
  for (let i = 0; i < 12; i++) {
    const c = cid(`copy-${i}`);
    cids.push(c);
    cp.cpLine({ cid: c, time: T0 + i * 1000, msg: 'wok resolved', wok: 'w1a2b3' });
    if (i % 5 === 0) cp.garbage(`junk ${i}`, T0 + i * 1000);
    db.pg({ time: T0 + i * 1000 + 2, severity: i === 3 ? 'ERROR' : 'LOG', message: i === 3 ? 'relation "x" does not exist' : 'checkpoint complete', ...(i === 3 ? { cid: c } : {}) });
    cp.request({ cid: c, time: T0 + i * 1000 + 5, method: 'POST', url: '/v1/woks/w1a2b3/sql', ...(i === 3 ? { status: 502, code: 'CP_EXEC_SQL_FAILED' } : {}) });
    if (i % 4 === 0) au.audit({ cid: c, time: T0 + i * 1000 + 6, wok: 'w1a2b3', action: i === 8 ? 'wok.restart' : 'wok.sql.exec' });
  }
  // Lines of the cp file that were not valid UTF-8 or over the length cap: counted on its checkpoint, which a copy carries once.
  const cpBatch = cp.batch();
  cpBatch.checkpoint = { ...cpBatch.checkpoint, invalidUtf8: 2, truncated: 1 };
  await store.writeBatch({ streams: [cpBatch, au.batch(), db.batch()] });
  // The db stream's next line is still being joined: the line after it is stored ahead of the checkpoint.
  const pending = db.offset;
  db.skip(64);
  db.pg({ time: T0 + 20_000, message: 'database system is shut down' });
  await store.writeBatch({ streams: [db.batch({ offset: pending })] });
  // A pushed batch under an Idempotency-Key.
  const pushed = new StreamFixture({ key: 'push-copy', kind: 'push', path: null, container: null, source: null });
  pushed.cpLine({ cid: cids[0]!, time: T0 + 7, msg: 'pushed line' });
  await store.writeBatch({ streams: [pushed.batch()], idempotency: { key: 'push:ci:k1', digest: 'd1' } });
  // A journald place: a stream without lines of its own.
  await store.writeBatch({ streams: [{ stream: { key: 'journal-seq-1', kind: 'journal', path: null, container: null, source: null }, events: [], unparsed: [], checkpoint: checkpoint('journal-seq-1', 42, { line: 42 }) }] });
  await store.addOperator('ana@example.com', '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA');
  await store.createToken({ name: 'ci', scope: 'operator', hash: 'a'.repeat(64), createdAt: T0 });
  await store.recordChecks([
    { check: 'cp_db', status: 'fail', time: T0, output: 'unreachable' },
    { check: 'cp_db', status: 'pass', time: T0 + 30_000, output: null },
  ]);
  await store.recordLookup({ time: T0, actorKind: 'operator', actor: 'ana@example.com', org: null, kind: 'ticket', target: cids[3]!, address: '127.0.0.1' });
  return { cids, docker: db.key, pending };
}

/** What a copy must carry over, read through the Store. */
async function snapshot(store: Store, cids: string[]): Promise<unknown> {
  const byCid: Record<string, Event[]> = {};
  for (const c of cids) byCid[c] = await store.eventsByCid(c);
  const st = await store.stats();
  return {
    byCid,
    events: st.events,
    unparsed: st.unparsed,
    requests: st.requests,
    correlationIds: st.correlationIds,
    streams: st.streams.map(({ updatedAt: _u, ...s }) => s),
    failed: (await store.search({ failed: true })).items,
    audits: await store.audits({ from: 0, to: T0 + 60_000 }),
    wokChanges: await store.wokChanges({ from: 0, to: T0 + 60_000 }),
    lifecycle: await store.lifecycle({ from: 0, to: T0 + 60_000 }),
    operators: (await store.listOperators()).map(({ id: _id, ...o }) => o),
    tokens: (await store.listTokens()).map(({ id: _id, ...t }) => t),
    checks: await store.checkHistory({ from: 0, to: T0 + 60_000 }),
    lookups: (await store.lookups({})).items.map(({ id: _id, ...l }) => l),
  };
}

describe('copyStore', () => {
  for (const [name, makeFrom] of [
    ['PostgreSQL into SQLite', postgres],
    ['SQLite into SQLite', async () => sqlite()],
  ] as const) {
    it(`${name}: everything arrives, a copy stopped after its first page resumes, and a second run writes nothing`, async () => {
      const from = await makeFrom();
      const to = sqlite();
      const { cids, docker, pending } = await fill(from);
      const stop = new AbortController();
      const first = await copyStore(from, to, { pageLines: 3, signal: stop.signal, onProgress: (p) => p.lines > 1 && stop.abort() });
      expect(first.complete).toBe(false);
      // Stopped inside a stream: its checkpoint in the target is short of the source's.
      const sourceOffsets = new Map((await from.streams()).map((x) => [x.stream, x.offset]));
      expect((await to.streams()).some((t) => t.offset > 0 && t.offset < sourceOffsets.get(t.stream)!)).toBe(true);

      const rest = await copyStore(from, to, { pageLines: 3 });
      expect(rest.complete).toBe(true);
      const total = await from.stats();
      expect(first.events + rest.events).toBe(total.events.cp + total.events.container + total.events.audit);
      expect(first.unparsed + rest.unparsed).toBe(total.unparsed);
      expect(await snapshot(to, cids)).toEqual(await snapshot(from, cids));
      expect(rest.idempotencyKeys).toBe(1);
      // The Docker stream's checkpoint still waits on its pending line, with the line after it stored ahead.
      expect((await to.checkpoint(docker))!.offset).toBe(pending);
      expect((await to.streamLines(docker, pending, 10)).events.map((e) => e.message)).toEqual(['database system is shut down']);

      const again = await copyStore(from, to);
      // Nothing doubled, counters of the checkpoints included.
      expect(await snapshot(to, cids)).toEqual(await snapshot(from, cids));
      expect(again).toMatchObject({ complete: true, events: 0, unparsed: 0, checks: 0, lookups: 0, idempotencyKeys: 0, operators: { copied: 0, kept: 1 }, tokens: { copied: 0, kept: 1 } });
      expect(again.streams.alreadyCopied).toBe(again.streams.total);
      // The Idempotency-Key came over: another body under it is refused on the target as on the source.
      const other = new StreamFixture({ key: 'push-other', kind: 'push', path: null, container: null, source: null });
      other.cpLine({ cid: cids[1]!, time: T0 + 8, msg: 'another body' });
      await expect(to.writeBatch({ streams: [other.batch()], idempotency: { key: 'push:ci:k1', digest: 'd2' } })).rejects.toBeInstanceOf(IdempotencyConflict);
    });
  }

  it("applies the target's redactor to what it writes (the source redacted with its own when it stored the lines)", async () => {
    const from = sqlite();
    const d = tempDir('diag-copy-');
    dirs.push(d);
    const to = new SqliteStore(d.file('diag.sqlite'), { redactor: createRedactor({ patterns: ['ACME-[0-9]{6}'] }) });
    open.push(to);
    const cp = new StreamFixture(cpStream('copy-redact'));
    const c = cid('copy-redact');
    cp.cpLine({ cid: c, time: T0, msg: 'ticket ACME-123456 opened' });
    await from.writeBatch({ streams: [cp.batch()] });
    expect((await from.eventsByCid(c))[0]!.message).toBe('ticket ACME-123456 opened');
    await copyStore(from, to);
    const [e] = await to.eventsByCid(c);
    expect(e!.message).not.toContain('ACME-123456');
    expect(e!.message).toMatch(/^ticket \[REDACTED.*\] opened$/);
  });
});
