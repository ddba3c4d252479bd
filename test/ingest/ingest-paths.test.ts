/**
 * discover + ingestPaths end to end, on real files in a temp dir (the tree
 * of test/fixtures/ingest-world.ts): every stream read and counted, held and
 * unparsed lines, container labels, the joined ticket, nothing stored twice,
 * lines appended later read once; into a real SQLite store.
 */
import { appendFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalog } from '../../src/catalog/catalog.js';
import { ingestPaths, type IngestReport } from '../../src/ingest/ingest-paths.js';
import type { ContainerEvent, Event } from '../../src/model/event.js';
import { buildTicket } from '../../src/queries/ticket.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { auditLine } from '../../scripts/formats/audit-log.js';
import { buildWorld, CID_A, CID_B, key, type World } from '../fixtures/ingest-world.js';
import { tempDir } from '../fixtures/temp-dir.js';

describe('ingest of a directory tree, end to end', () => {
  const tmp = tempDir('tellwang-ingest-');
  let world: World;
  let store: SqliteStore;
  let first: IngestReport;

  beforeAll(async () => {
    world = await buildWorld(path.join(tmp.dir, 'logs'));
    store = new SqliteStore(path.join(tmp.dir, 'diag.sqlite'));
    await store.putInventory({ orgs: [{ slug: 'acme' }], woks: [{ id: 'w1', org: 'acme', status: 'active' }], keys: [{ prefix: key.prefix, sha256: key.sha256, org: 'acme', user: 'ana@acme.test', kind: 'skl' }] });
    first = await ingestPaths(store, [world.root]);
  });
  afterAll(async () => {
    await store.close();
    tmp.remove();
  });

  it('reads every stream and counts each source', () => {
    const paths = first.streams.map((s) => path.relative(world.root, s.path!)).sort();
    expect(paths).toEqual(
      [
        'audit/audit.log',
        'cp/cp-a.log',
        'cp/cp-b.log',
        `containers/${world.db.id}/${world.db.id}-json.log`,
        `containers/${world.db.id}/${world.db.id}-json.log.1`,
        `containers/${world.fn.id}/${world.fn.id}-json.log`,
        'misc/deeper/notes.txt',
      ].sort(),
    );
    expect(first.events.cp).toBe(world.runA.lines.length + world.runB.lines.length - 1);
    expect(first.events.audit).toBe(2);
    // db: 5 rotated + 1 + 6 shutdown + 2 session + 5 startup; fn: 3 (one of them joined from 3 records).
    expect(first.events.container).toBe(5 + 1 + 6 + 2 + 5 + 3);
    expect(first.unparsed).toBe(3);
    expect(first.stored).toBe(first.events.cp + first.events.audit + first.events.container);
    expect(first.duplicates).toBe(0);
  });

  it('holds back a last line without its newline', () => {
    const b = first.streams.find((s) => s.path!.endsWith('cp-b.log'))!;
    expect(b.pendingBytes).toBe(Buffer.byteLength(world.heldLine));
    const others = first.streams.filter((s) => s !== b);
    for (const s of others) expect(s.pendingBytes, s.path!).toBe(0);
  });

  it('keeps unparsed lines with their file and line number', async () => {
    const page = await store.unparsed(null, 100);
    const notes = path.join(world.root, 'misc', 'deeper', 'notes.txt');
    expect(page.items.map((u) => [u.path, u.line, u.reason]).sort()).toEqual(
      [
        [notes, 1, 'not JSON and not a PostgreSQL log line'],
        [notes, 2, 'JSON, but no known format (pino, Docker json-file, audit, journald, PostgreSQL jsonlog)'],
        [notes, 4, 'not valid JSON'],
      ].sort(),
    );
  });

  it('takes the labels from attrs, or from config.v2.json when the records carry none', async () => {
    const ev = await store.eventsByCid(CID_A);
    const containers = ev.filter((e): e is ContainerEvent => e.source === 'container').map((e) => e.container);
    const db = containers.find((c) => c.role === 'db')!;
    expect(db).toEqual({ id: world.db.id, name: 'wok-w1-db', wok: 'w1', role: 'db', image: 'postgres:16' });
    const fn = containers.find((c) => c.role === 'functions')!;
    expect(fn).toMatchObject({ wok: 'w1', role: 'functions' });
  });

  it('the ticket joins cp, container and audit lines in time order, with the cp:<cid> PostgreSQL lines and the db shutdown as context', async () => {
    const t = (await buildTicket(store, catalog, CID_A))!;
    expect(t).not.toBeNull();
    const times = t.events.map((e) => e.time);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(new Set(t.events.map((e) => e.source))).toEqual(new Set(['cp', 'container', 'audit']));
    const pgLines = t.events.filter((e) => e.source === 'container' && e.format === 'postgres').map((e) => e.message);
    expect(pgLines).toEqual(['terminating connection due to administrator command', 'select 1']);
    const fnLines = t.events.filter((e) => e.source === 'container' && e.format === 'pino');
    expect(fnLines.map((e) => e.message)).toEqual(['db connection lost', 'large trigger payload']);
    expect((fnLines[1]!.fields.payload as string).length).toBe(40_000);
    expect(fnLines[1]!.fields._parts).toBe(3);
    expect(t.events.filter((e) => e.source === 'cp').map((e) => e.message)).toEqual(['wok resolved', 'exec_sql failed', 'request errored']);

    expect(t.request).toMatchObject({ method: 'POST', path: '/v1/woks/w1/sql', status: 502, wok: 'w1', org: 'acme', user: 'ana@acme.test', keyPrefix: key.prefix });
    expect(t.error).toMatchObject({ code: 'CP_EXEC_SQL_FAILED' });
    expect(t.remediation).toMatchObject({ kind: 'catalogued', code: 'CP_EXEC_SQL_FAILED', http: 502, fixSide: 'state' });

    const context = t.context.map((e) => [e.message, (e as ContainerEvent).lifecycle]);
    expect(context).toEqual(
      expect.arrayContaining([
        ['received fast shutdown request', 'stopping'],
        ['database system is shut down', 'shutdown'],
        ['database system is ready to accept connections', 'ready'],
      ]),
    );
    for (const e of t.context) expect(e.cid).not.toBe(CID_A);
    // The rotated file's start an hour before is outside the window.
    expect(t.context.every((e) => e.time >= t.window!.from && e.time <= t.window!.to)).toBe(true);
  });

  it('the other configuration: correlation_id on every line, req.id a counter', async () => {
    const t = (await buildTicket(store, catalog, CID_B))!;
    expect(t.request).toMatchObject({ method: 'POST', path: '/v1/woks/w1/sql', status: 502, wok: 'w1' });
    expect(t.events.map((e) => e.source)).toEqual(['cp', 'cp', 'cp', 'audit']);
    expect(t.error?.code).toBe('CP_EXEC_SQL_FAILED');
  });

  it('stores nothing twice when the same paths are ingested again', async () => {
    const again = await ingestPaths(store, [world.root]);
    expect(again.stored).toBe(0);
    expect(again.unparsed).toBe(0);
    expect(again.lines).toBe(0);
    const stats = await store.stats();
    expect(stats.events.cp + stats.events.container + stats.events.audit).toBe(first.stored);
    expect(stats.unparsed).toBe(3);
  });

  it('--final takes the held line; the 404 logged at info is a failed request', async () => {
    const done = await ingestPaths(store, [world.root], { final: true });
    expect(done.stored).toBe(1);
    expect(done.events.cp).toBe(1);
    const cid404 = world.runB.responses[1]!.cid;
    const t = (await buildTicket(store, catalog, cid404))!;
    expect(t.request).toMatchObject({ method: 'GET', path: '/v1/orgs/nope', status: 404 });
    expect(t.error).toMatchObject({ code: 'CP_ORG_NOT_FOUND' });
    const page = await store.search({ failed: true });
    expect(page.items.map((r) => r.cid).sort()).toEqual([CID_A, CID_B, cid404].sort());
    const after = await ingestPaths(store, [world.root], { final: true });
    expect(after.stored).toBe(0);
  });

  it('new lines appended later are read from the checkpoint, once', async () => {
    const log = path.join(world.root, 'audit', 'audit.log');
    appendFileSync(log, auditLine({ time: world.tA + 9000, actor: 'ana@acme.test', org: 'acme', action: 'wok.restart', outcome: 'success', correlationId: CID_A, ip: '203.0.113.7', wokId: 'w1' }) + '\n');
    const r = await ingestPaths(store, [log]);
    expect([r.lines, r.stored, r.events.audit]).toEqual([1, 1, 1]);
    const audit = r.streams[0]!;
    expect(audit.path).toBe(log);
    const t = (await buildTicket(store, catalog, CID_A))!;
    expect(t.events.filter((e: Event) => e.source === 'audit').map((e) => e.message)).toEqual([
      'ana@acme.test wok.sql.exec → failure',
      'ana@acme.test wok.restart → success',
    ]);
  });
});
