/**
 * What the POST /v1/ingest tests share: a fresh SQLite store per test with an
 * ingest and an operator token, a server started on it inline or with the
 * push thread, and the pushes themselves (pino-http lines as the cp writes
 * them, over real HTTP).
 */
import { afterEach, beforeEach } from 'vitest';
import { createToken } from '../../../src/access/api-tokens.js';
import { startPushWorker, type PushWorkerHandle } from '../../../src/ingest/push/start-push-worker.js';
import { DEFAULT_REDACTOR, type Redactor } from '../../../src/redact/redactor.js';
import { startTestServer, testDeps, type TestServer } from '../../fixtures/test-server.js';
import { tempSqliteStore, type TempSqliteStore } from '../../fixtures/sqlite-store.js';

export const T0 = Date.UTC(2026, 10, 24, 20, 0, 0);

export function cid(n: number): string {
  return (0xfeed000000000000n + BigInt(n)).toString(16);
}

/** A pino-http request line as the cp writes it. */
export function cpLine(n: number, extra: Record<string, unknown> = {}): string {
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

export function batch(from: number, n: number): string {
  let out = '';
  for (let i = from; i < from + n; i++) out += cpLine(i) + '\n';
  return out;
}

export interface Answer {
  status: number;
  body: Record<string, unknown>;
  headers: Headers;
}

export type PushMode = 'inline' | 'push thread';

export interface PushHarness {
  readonly db: TempSqliteStore;
  readonly server: TestServer;
  readonly ingestToken: string;
  readonly operatorToken: string;
  /** Inline on the app's store, or on the push thread the server runs (its own connection to the same file). */
  mode: PushMode;
  start(config?: Parameters<typeof testDeps>[1], redactor?: Redactor): Promise<void>;
  push(body: string | Buffer, o?: { token?: string | null; key?: string; kind?: string; headers?: Record<string, string> }): Promise<Answer>;
  stopPusher(): Promise<void>;
}

/** Registers the per-test store and server teardown; returns the harness the tests push through. */
export function usePushServer(): PushHarness {
  let db: TempSqliteStore;
  let server: TestServer | undefined;
  let ingestToken = '';
  let operatorToken = '';
  let pusher: PushWorkerHandle | null = null;

  beforeEach(async () => {
    db = tempSqliteStore();
    ingestToken = (await createToken(db.store, 'shipper', 'ingest', Date.now())).secret;
    operatorToken = (await createToken(db.store, 'ops', 'operator', Date.now())).secret;
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
    await pusher?.stop();
    pusher = null;
    await db.close();
  });

  const h: PushHarness = {
    get db() {
      return db;
    },
    get server() {
      return server!;
    },
    get ingestToken() {
      return ingestToken;
    },
    get operatorToken() {
      return operatorToken;
    },
    mode: 'inline',
    async start(config = {}, redactor = DEFAULT_REDACTOR) {
      const deps = testDeps(db.store, config);
      if (h.mode === 'push thread') {
        pusher = await startPushWorker({ db: db.file }, redactor, deps.logger);
        deps.push = pusher.ingest;
      }
      server = await startTestServer(deps);
    },
    async push(body, o = {}) {
      const headers: Record<string, string> = { 'content-type': 'application/x-ndjson', ...o.headers };
      const token = o.token === undefined ? ingestToken : o.token;
      if (token) headers.authorization = `Bearer ${token}`;
      if (o.key) headers['idempotency-key'] = o.key;
      const r = await fetch(`${server!.url}/v1/ingest${o.kind ? `?kind=${o.kind}` : ''}`, { method: 'POST', headers, body });
      const text = await r.text();
      return { status: r.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {}, headers: r.headers };
    },
    async stopPusher() {
      await pusher!.stop();
      pusher = null;
    },
  };
  return h;
}
