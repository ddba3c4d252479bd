/**
 * Bodies without Content-Length (chunked) are counted as they arrive and
 * answered with 413 as soon as the count passes the cap — the app's, or a
 * route's own (POST /v1/ingest) — then drained within a bound: bytes and
 * time, so neither a fast nor a slow client holds the connection.
 */
import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../../../src/access/api-tokens.js';
import { startTestServer, testDeps, type TestServer } from '../../fixtures/test-server.js';
import { tempSqliteStore, type TempSqliteStore } from '../../fixtures/sqlite-store.js';
import { chunk, exchange, LAST_CHUNK, parse, requestHead } from './fixtures/raw-http.js';

const MiB = 1024 * 1024;
const APP_CAP = MiB;
const INGEST_CAP = 2 * MiB;
const DRAIN = { maxBytes: 2 * MiB, maxMs: 1_500 };

let db: TempSqliteStore;
let server: TestServer;
let port: number;
let token: string;
/** The server's side of each connection, in the order accepted. */
const accepted: Socket[] = [];

beforeAll(async () => {
  db = tempSqliteStore();
  token = (await createToken(db.store, 'shipper', 'ingest', Date.now())).secret;
  server = await startTestServer(testDeps(db.store, { config: { ingestMaxBytes: INGEST_CAP, bodyDrain: DRAIN } }));
  server.server.on('connection', (s: Socket) => accepted.push(s));
  port = Number(new URL(server.url).port);
});
afterAll(async () => {
  await server.close();
  await db.close();
});

const chunkedForm = requestHead('POST', '/login', { 'Content-Type': 'application/x-www-form-urlencoded', 'Transfer-Encoding': 'chunked' });

function ndjson(bytes: number): Buffer {
  const line = JSON.stringify({ level: 30, time: Date.UTC(2026, 10, 24), msg: 'request completed', req: { id: 'feed000000000001' } }) + '\n';
  return Buffer.from(line.repeat(Math.ceil(bytes / line.length)));
}

/** Where the count stopped, as the 413's message says. */
function stoppedAt(body: string): number {
  return Number(/stopped reading at (\d+) bytes/.exec((JSON.parse(body) as { error: { message: string } }).error.message)?.[1] ?? NaN);
}

function envelopeCode(body: string): string | null {
  try {
    return (JSON.parse(body) as { error: { code: string } }).error.code;
  } catch {
    return null;
  }
}

describe('a chunked body over the cap', () => {
  it('is answered once the count passes the cap, while the client is still sending', async () => {
    // cap + 128 KiB, and then nothing: no last chunk, the connection left open.
    const parts = [Buffer.from(chunkedForm), ...Array.from({ length: 18 }, () => chunk(Buffer.alloc(64 * 1024, 0x61)))];
    const x = await exchange(port, { send: parts, waitMs: 2_000 });
    const p = parse(x.raw);
    expect(p.status).toBe(413);
    expect(envelopeCode(p.body)).toBe('DIAG_BODY_TOO_LARGE');
    expect(JSON.parse(p.body).error.message).toMatch(new RegExp(`^the request body is over the limit of ${APP_CAP} bytes`));
    expect(p.headers.connection).toBe('close');
    expect(x.firstByteMs).toBeLessThan(2_000);
  });

  it('is read no further than cap + drain bound, however much the client sends', async () => {
    const before = accepted.length;
    const piece = chunk(Buffer.alloc(64 * 1024, 0x61));
    let sent = 0;
    const x = await exchange(port, {
      waitMs: 10_000,
      send: (s) => {
        s.write(chunkedForm);
        // 64 MiB as fast as the connection takes it, the answer ignored.
        const more = () => {
          while (sent < 64 * MiB && !s.destroyed) {
            sent += piece.length;
            if (!s.write(piece)) return void s.once('drain', more);
          }
          if (!s.destroyed) s.end(LAST_CHUNK);
        };
        more();
      },
    });
    const serverSide = accepted[before]!;
    expect(x.closedMs).not.toBeNull();
    expect(parse(x.raw).status).toBe(413);
    await new Promise((r) => (serverSide.destroyed ? r(null) : serverSide.once('close', r)));
    // Head and chunk framing aside: the cap, then at most the drain bound and one read more.
    expect(serverSide.bytesRead).toBeLessThan(APP_CAP + DRAIN.maxBytes + 256 * 1024);
    expect(sent).toBeLessThan(64 * MiB);
  });

  it('written whole before the client reads, still gets its answer (a body the client finishes within the drain bound)', async () => {
    const parts = [Buffer.from(chunkedForm), ...Array.from({ length: 24 }, () => chunk(Buffer.alloc(64 * 1024, 0x61))), LAST_CHUNK];
    for (let i = 0; i < 5; i++) {
      const x = await exchange(port, { send: parts, writeBeforeReading: true, waitMs: 5_000 });
      const p = parse(x.raw);
      expect([p.status, envelopeCode(p.body), x.error]).toEqual([413, 'DIAG_BODY_TOO_LARGE', null]);
      // Counted against the app's cap as it came, not read whole by the form parser first.
      expect(stoppedAt(p.body)).toBeLessThanOrEqual(APP_CAP + 64 * 1024);
    }
  });
});

describe('a chunked body within the cap', () => {
  it('is read by its route and leaves the connection open for the next request', async () => {
    const form = Buffer.from('email=a%40b.c&password=x');
    const x = await exchange(port, {
      waitMs: 3_000,
      send: [Buffer.from(chunkedForm), chunk(form), LAST_CHUNK, Buffer.from(requestHead('GET', '/healthz', { Connection: 'close' }))],
    });
    const text = x.raw.toString('latin1');
    const second = text.indexOf('HTTP/1.1 200');
    expect(parse(x.raw).status).toBe(403);
    expect(envelopeCode(parse(x.raw).body)).toBe('DIAG_CSRF_REJECTED');
    expect(parse(x.raw).headers.connection).toBe('keep-alive');
    expect(second).toBeGreaterThan(0);
    expect(text.slice(second)).toContain('{"status":"pass"}');
  });
});

describe("POST /v1/ingest's own cap", () => {
  it('applies to chunked bodies instead of the app cap: 1.5 MiB is stored, 3 MiB written whole is 413 and read', async () => {
    const head = requestHead('POST', '/v1/ingest', { Authorization: `Bearer ${token}`, 'Content-Type': 'application/x-ndjson', 'Transfer-Encoding': 'chunked', Connection: 'close' });
    const ok = await exchange(port, { send: [Buffer.from(head), chunk(ndjson(1.5 * MiB)), LAST_CHUNK], waitMs: 10_000 });
    expect(parse(ok.raw).status).toBe(200);
    expect(JSON.parse(parse(ok.raw).body).accepted).toBeGreaterThan(0);
    const body = ndjson(3 * MiB);
    const pieces = Array.from({ length: Math.ceil(body.length / (64 * 1024)) }, (_, i) => chunk(body.subarray(i * 64 * 1024, (i + 1) * 64 * 1024)));
    for (let i = 0; i < 5; i++) {
      const x = await exchange(port, { send: [Buffer.from(head), ...pieces, LAST_CHUNK], writeBeforeReading: true, waitMs: 5_000 });
      const p = parse(x.raw);
      expect([p.status, envelopeCode(p.body), x.error]).toEqual([413, 'DIAG_BODY_TOO_LARGE', null]);
      expect(JSON.parse(p.body).error.message).toMatch(new RegExp(`over the limit of ${INGEST_CAP} bytes`));
      expect(stoppedAt(p.body)).toBeLessThanOrEqual(INGEST_CAP + 64 * 1024);
    }
  });

  it('an unauthenticated chunked push is answered 401 and the rest is not read whole', async () => {
    const before = accepted.length;
    const noAuth = requestHead('POST', '/v1/ingest', { 'Content-Type': 'application/x-ndjson', 'Transfer-Encoding': 'chunked' });
    const piece = chunk(Buffer.alloc(64 * 1024, 0x0a));
    const x = await exchange(port, {
      waitMs: 10_000,
      send: (s) => {
        s.write(noAuth);
        let sent = 0;
        const more = () => {
          while (sent < 64 * MiB && !s.destroyed) {
            sent += piece.length;
            if (!s.write(piece)) return void s.once('drain', more);
          }
          if (!s.destroyed) s.end(LAST_CHUNK);
        };
        more();
      },
    });
    expect(parse(x.raw).status).toBe(401);
    const serverSide = accepted[before]!;
    await new Promise((r) => (serverSide.destroyed ? r(null) : serverSide.once('close', r)));
    expect(serverSide.bytesRead).toBeLessThan(DRAIN.maxBytes + 2 * MiB);
  });
});

describe('the drain', () => {
  it('does not wait on a slow client past its time bound, and does not close before it either', async () => {
    const x = await exchange(port, {
      waitMs: 6_000,
      send: (s) => {
        s.write(requestHead('POST', '/login', { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': 5 * MiB }));
        // A trickle: 1 KiB every 50 ms, for as long as the server reads it.
        const t = setInterval(() => (s.destroyed ? clearInterval(t) : s.write(Buffer.alloc(1024, 0x61))), 50);
        s.once('close', () => clearInterval(t));
      },
    });
    const p = parse(x.raw);
    expect(p.status).toBe(413);
    expect(x.firstByteMs).toBeLessThan(500);
    expect(x.closedMs).not.toBeNull();
    const lingered = x.closedMs! - x.firstByteMs!;
    expect(lingered).toBeGreaterThan(DRAIN.maxMs * 0.8);
    expect(lingered).toBeLessThan(DRAIN.maxMs + 1_500);
  });
});
