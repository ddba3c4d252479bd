/**
 * POST /v1/ingest over real HTTP with a real store: counts after commit,
 * Idempotency-Key (repeats, concurrent repeats, conflicts), gzip and its
 * decompressed cap, the body cap (413 in our envelope), auth, kinds, and
 * that pushed lines are redacted and found by their correlation id.
 */
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditLine } from '../../../scripts/formats/audit-log.js';
import { createToken } from '../../../src/access/api-tokens.js';
import { startPushWorker, type PushWorkerHandle } from '../../../src/ingest/push/start-push-worker.js';
import { createRedactor, DEFAULT_REDACTOR, type Redactor } from '../../../src/redact/redactor.js';
import { startTestServer, testDeps, type TestServer } from '../../fixtures/test-server.js';
import { tempSqliteStore, type TempSqliteStore } from '../../fixtures/sqlite-store.js';
import { journalLine } from '../../ingest-push/journal-lines.js';

const T0 = Date.UTC(2026, 10, 24, 20, 0, 0);

function cid(n: number): string {
  return (0xfeed000000000000n + BigInt(n)).toString(16);
}

/** A pino-http request line as the cp writes it. */
function cpLine(n: number, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    level: 30,
    time: T0 + n,
    pid: 1,
    hostname: 'cp-1',
    req: { id: cid(n), method: 'GET', url: `/v1/woks/wok-${n % 3}/env`, headers: { 'user-agent': 'curl/8' }, remoteAddress: '10.0.0.9' },
    res: { statusCode: 200, headers: { 'x-correlation-id': cid(n) } },
    responseTime: 12,
    msg: 'request completed',
    ...extra,
  });
}

let db: TempSqliteStore;
let server: TestServer;
let ingestToken: string;
let operatorToken: string;

/** Inline on the app's store, or on the push thread the server runs (its own connection to the same file). */
let mode: 'inline' | 'push thread' = 'inline';
let pusher: PushWorkerHandle | null = null;

async function start(config: Parameters<typeof testDeps>[1] = {}, redactor: Redactor = DEFAULT_REDACTOR) {
  const deps = testDeps(db.store, config);
  if (mode === 'push thread') {
    pusher = await startPushWorker({ db: db.file }, redactor, deps.logger);
    deps.push = pusher.ingest;
  }
  server = await startTestServer(deps);
}

beforeEach(async () => {
  db = tempSqliteStore();
  ingestToken = (await createToken(db.store, 'shipper', 'ingest', Date.now())).secret;
  operatorToken = (await createToken(db.store, 'ops', 'operator', Date.now())).secret;
});
afterEach(async () => {
  await server?.close();
  await pusher?.stop();
  pusher = null;
  await db.close();
});

interface Answer {
  status: number;
  body: Record<string, unknown>;
  headers: Headers;
}

async function push(body: string | Buffer, o: { token?: string | null; key?: string; kind?: string; headers?: Record<string, string> } = {}): Promise<Answer> {
  const headers: Record<string, string> = { 'content-type': 'application/x-ndjson', ...o.headers };
  const token = o.token === undefined ? ingestToken : o.token;
  if (token) headers.authorization = `Bearer ${token}`;
  if (o.key) headers['idempotency-key'] = o.key;
  const r = await fetch(`${server.url}/v1/ingest${o.kind ? `?kind=${o.kind}` : ''}`, { method: 'POST', headers, body });
  const text = await r.text();
  return { status: r.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {}, headers: r.headers };
}

function batch(from: number, n: number): string {
  let out = '';
  for (let i = from; i < from + n; i++) out += cpLine(i) + '\n';
  return out;
}

describe.each(['inline', 'push thread'] as const)('POST /v1/ingest (%s)', (m) => {
  beforeEach(() => {
    mode = m;
  });

  it('stores the lines, answers the counts after the commit, and the ticket finds them', async () => {
    await start();
    const body =
      batch(0, 5) +
      auditLine({ time: T0 + 9, actor: 'ana@acme.io', org: 'acme', action: 'wok.env.update', outcome: 'success', correlationId: cid(1), ip: '10.0.0.9' }) +
      '\nthis is not a log line\n' +
      cpLine(5); // the last line needs no newline: the body is complete
    const r = await push(body);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ accepted: 7, unparsed: 1, lines: 8, duplicate: false });
    const stats = await db.store.stats();
    expect(stats.events).toEqual({ cp: 6, container: 0, audit: 1 });
    expect(stats.unparsed).toBe(1);
    expect((await db.store.eventsByCid(cid(1))).map((e) => e.source).sort()).toEqual(['audit', 'cp']);
    const t = await fetch(`${server.url}/v1/tickets/${cid(5)}`, { headers: { authorization: `Bearer ${operatorToken}` } });
    expect(t.status).toBe(200);
  });

  it('accepts an operator token; refuses no credential, a bad one and a revoked one with 401 in the envelope', async () => {
    await start();
    expect((await push(batch(0, 1), { token: operatorToken })).status).toBe(200);
    for (const token of [null, 'sdo_' + 'A'.repeat(43), 'nonsense']) {
      const r = await push(batch(1, 1), { token });
      expect(r.status).toBe(401);
      expect((r.body.error as Record<string, string>).code).toBe('DIAG_UNAUTHENTICATED');
      expect((r.body.error as Record<string, string>).correlation_id).toMatch(/^[0-9a-f]{16}$/);
    }
    await db.store.revokeToken('shipper', Date.now());
    expect((await push(batch(2, 1))).status).toBe(401);
    expect((await db.store.stats()).events.cp).toBe(1);
  });

  it('an Idempotency-Key makes a repeat a no-op with the first answer; another body under the key is 409', async () => {
    await start();
    const first = await push(batch(0, 10), { key: 'batch-0001' });
    expect(first.body).toMatchObject({ accepted: 10, duplicate: false });
    const again = await push(batch(0, 10), { key: 'batch-0001' });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ accepted: 10, duplicate: true });
    const other = await push(batch(100, 3), { key: 'batch-0001' });
    expect(other.status).toBe(409);
    expect((other.body.error as Record<string, string>).code).toBe('DIAG_IDEMPOTENCY_CONFLICT');
    expect((await db.store.stats()).events.cp).toBe(10);
  });

  it('concurrent repeats of one keyed batch store it once', async () => {
    await start();
    const body = batch(0, 200);
    const answers = await Promise.all(Array.from({ length: 16 }, () => push(body, { key: 'same-batch' })));
    expect(answers.map((a) => a.status)).toEqual(Array(16).fill(200));
    expect(answers.filter((a) => a.body.duplicate === false)).toHaveLength(1);
    expect(answers.every((a) => a.body.accepted === 200)).toBe(true);
    expect((await db.store.stats()).events.cp).toBe(200);
    for (let i = 0; i < 200; i += 37) expect(await db.store.eventsByCid(cid(i))).toHaveLength(1);
  });

  it('journald entries pushed again in another batch (a shipper restarted) are stored once; the answer says how many were already stored', async () => {
    await start();
    const entries = Array.from({ length: 15 }, (_, n) => journalLine({ time: T0 + n, message: JSON.stringify({ level: 30, time: T0 + n, msg: `job ${n}`, correlation_id: cid(300 + n) }), unit: 'worker.service' }));
    const first = await push(entries.slice(0, 10).join('\n') + '\n');
    expect(first.body).toMatchObject({ lines: 10, accepted: 10, already_stored: 0 });
    const again = await push(entries.slice(5).join('\n') + '\n');
    expect(again.body).toMatchObject({ lines: 10, accepted: 5, already_stored: 5, duplicate: false });
    for (let n = 0; n < 15; n++) expect(await db.store.eventsByCid(cid(300 + n))).toHaveLength(1);
  });

  it('a blind retry of the same bytes without a key stores nothing twice; concurrent ones neither', async () => {
    await start();
    const body = batch(0, 50);
    expect((await push(body)).body).toMatchObject({ accepted: 50, duplicate: false });
    expect((await push(body)).body).toMatchObject({ accepted: 0, duplicate: true });
    await Promise.all(Array.from({ length: 8 }, () => push(batch(1000, 20))));
    expect((await db.store.stats()).events.cp).toBe(70);
  });

  it('reads gzip bodies; a zip bomb stops at the decompressed cap with 413; broken gzip is 400', async () => {
    await start({ config: { ingestMaxBytes: 1024 * 1024 } });
    const ok = await push(gzipSync(batch(0, 100)), { headers: { 'content-encoding': 'gzip' } });
    expect(ok.body).toMatchObject({ accepted: 100 });
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x61));
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const r = await push(bomb, { headers: { 'content-encoding': 'gzip' } });
    expect(r.status).toBe(413);
    expect((r.body.error as Record<string, string>).code).toBe('DIAG_BODY_TOO_LARGE');
    const broken = await push(gzipSync(batch(0, 100)).subarray(0, 200), { headers: { 'content-encoding': 'gzip' } });
    expect(broken.status).toBe(400);
    expect((await push('x', { headers: { 'content-encoding': 'br' } })).status).toBe(415);
  });

  it('a body over the cap is 413 in our envelope, with or without Content-Length', async () => {
    await start({ config: { ingestMaxBytes: 64 * 1024 } });
    const big = batch(0, 1000);
    expect(big.length).toBeGreaterThan(64 * 1024);
    const r = await push(big);
    expect(r.status).toBe(413);
    expect((r.body.error as Record<string, string>).code).toBe('DIAG_BODY_TOO_LARGE');
    // Chunked: no Content-Length, so the route counts as it reads.
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < 20; i++) c.enqueue(Buffer.from(batch(i * 50, 50)));
        c.close();
      },
    });
    const chunked = await fetch(`${server.url}/v1/ingest`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ingestToken}`, 'content-type': 'application/x-ndjson' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(413);
    expect(((await chunked.json()) as { error: { code: string } }).error.code).toBe('DIAG_BODY_TOO_LARGE');
    expect((await db.store.stats()).events.cp).toBe(0);
  });

  it('has its own cap, above the app-wide one: a 2 MiB push is stored, past 8 MiB is 413, other routes keep 1 MiB', async () => {
    await start();
    const lines = batch(0, Math.ceil((2 * 1024 * 1024) / cpLine(0).length));
    expect(lines.length).toBeGreaterThan(2 * 1024 * 1024);
    const ok = await push(lines);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ unparsed: 0, duplicate: false });
    expect((await db.store.stats()).events.cp).toBe(ok.body.accepted);
    // Over the default 8 MiB: refused on its Content-Length before a byte is read.
    const over = await push(Buffer.alloc(8 * 1024 * 1024 + 1, 0x0a));
    expect(over.status).toBe(413);
    expect((over.body.error as Record<string, string>).code).toBe('DIAG_BODY_TOO_LARGE');
    // Everything else still has the app's 1 MiB.
    const form = await fetch(`${server.url}/login`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'x='.padEnd(2 * 1024 * 1024, 'a') });
    expect(form.status).toBe(413);
    expect(((await form.json()) as { error: { code: string } }).error.code).toBe('DIAG_BODY_TOO_LARGE');
  });

  it('?kind= keeps one source (the rest counted unparsed, with why); unknown kinds, types and methods are refused', async () => {
    await start();
    const body = batch(0, 3) + auditLine({ time: T0, actor: 'a@b.c', org: 'acme', action: 'org.read', outcome: 'success', correlationId: cid(9), ip: '10.0.0.1' }) + '\n';
    const r = await push(body, { kind: 'audit' });
    expect(r.body).toMatchObject({ accepted: 1, unparsed: 3 });
    const items = (await db.store.unparsed()).items;
    expect(items[0]!.reason).toMatch(/kind=audit/);
    expect((await push(body, { kind: 'nginx' })).status).toBe(400);
    expect((await push(body, { headers: { 'content-type': 'image/png' } })).status).toBe(415);
    const get = await fetch(`${server.url}/v1/ingest`, { headers: { authorization: `Bearer ${ingestToken}` } });
    expect(get.status).toBe(405);
  });

  it('redacts pushed secrets before storing them', async () => {
    await start();
    const key = 'skl_' + '7'.repeat(8) + 'a'.repeat(56);
    const line = cpLine(1, { req: { id: cid(1), method: 'POST', url: '/v1/woks/w/exec', headers: { authorization: `Bearer ${key}` } } });
    expect((await push(line + '\n')).body).toMatchObject({ accepted: 1 });
    await db.closeStore();
    expect(db.bytes().includes(Buffer.from(key))).toBe(false);
  });

  it.runIf(m === 'push thread')('the push thread redacts with the configured DIAG_REDACT_PATTERNS too', async () => {
    await start({}, createRedactor({ patterns: ['ACME-[0-9]{6}'] }));
    expect((await push(cpLine(3, { msg: 'issued ACME-654321' }) + '\n')).body).toMatchObject({ accepted: 1 });
    expect((await db.store.eventsByCid(cid(3)))[0]!.message).toBe('issued [REDACTED]');
    await pusher!.stop();
    pusher = null;
    await db.closeStore();
    expect(db.bytes().includes(Buffer.from('ACME-654321'))).toBe(false);
  });

  it('bad bytes are counted, not fatal: invalid UTF-8, binary garbage, an over-long line', async () => {
    await start({ config: { bodyLimit: '4mb' } });
    const body = Buffer.concat([
      Buffer.from(cpLine(0) + '\n'),
      Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x9c, 0x0a]),
      Buffer.from('{"level":30,"time":' + (T0 + 1) + ',"msg":"caf\xe9","correlation_id":"' + cid(1) + '"}\n', 'latin1'),
      Buffer.from('{"level":30,"msg":"' + 'y'.repeat(1200 * 1024) + '"}\n'),
      Buffer.from(cpLine(2) + '\n'),
    ]);
    const r = await push(body);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ lines: 5, accepted: 3, unparsed: 2, invalid_utf8: 2, truncated: 1 });
    const e = await db.store.eventsByCid(cid(1));
    expect(e[0]!.message).toBe('caf\ufffd');
    expect(await db.store.eventsByCid(cid(2))).toHaveLength(1);
  });
});
