/**
 * A body over the cap with a Content-Length is answered at once, and the
 * answer reaches clients that send the whole body before reading: a raw
 * socket that writes everything first, node:http, Python's http.client.
 * With `Expect: 100-continue` the 413 comes instead of 100 Continue.
 */
import { execFile } from 'node:child_process';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, testDeps, type TestServer } from '../../fixtures/test-server.js';
import { tempSqliteStore, type TempSqliteStore } from '../../fixtures/sqlite-store.js';
import { exchange, parse, requestHead } from './fixtures/raw-http.js';

const FORM = Buffer.from('email=a%40b.c&password='.padEnd(5 * 1024 * 1024, 'x'));
const TRIES = 10;

let db: TempSqliteStore;
let server: TestServer;
let port: number;

beforeAll(async () => {
  db = tempSqliteStore();
  server = await startTestServer(testDeps(db.store));
  port = Number(new URL(server.url).port);
});
afterAll(async () => {
  await server.close();
  await db.close();
});

function formHead(extra: Record<string, string | number> = {}): string {
  return requestHead('POST', '/login', { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': FORM.length, ...extra });
}

/** What a try came to: the code of the envelope read, or what went wrong. */
function outcome(status: number | null, body: string, error: string | null): string {
  try {
    const e = (JSON.parse(body) as { error: { code: string; hint: string; correlation_id: string } }).error;
    if (status === 413 && e.code === 'DIAG_BODY_TOO_LARGE' && e.hint && /^[0-9a-f]{16}$/.test(e.correlation_id)) return 'envelope';
    return `${status} ${e.code}`;
  } catch {
    return `no answer (${error ?? status ?? 'nothing'})`;
  }
}

describe('an over-cap body with a Content-Length', () => {
  it('reaches a client that writes the whole 5 MiB body before reading, every time (raw socket)', async () => {
    const seen: string[] = [];
    for (let i = 0; i < TRIES; i++) {
      const x = await exchange(port, { send: [Buffer.from(formHead()), FORM], writeBeforeReading: true, waitMs: 10_000 });
      const p = parse(x.raw);
      seen.push(outcome(p.status, p.body, x.error));
      if (i === 0) {
        expect(p.headers.connection).toBe('close');
        expect(JSON.parse(p.body).error.message).toBe(`the request body (${FORM.length} bytes) is over the limit of ${1024 * 1024} bytes`);
      }
    }
    expect(seen).toEqual(Array(TRIES).fill('envelope'));
  });

  it('reaches node:http, every time', async () => {
    const seen: string[] = [];
    for (let i = 0; i < TRIES; i++) {
      seen.push(
        await new Promise<string>((resolve) => {
          const req = http.request(`${server.url}/login`, { method: 'POST', agent: false, headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': FORM.length } });
          req.on('error', (e: NodeJS.ErrnoException) => resolve(`no answer (${e.code ?? e.message})`));
          req.on('response', (res) => {
            const parts: Buffer[] = [];
            res.on('data', (d: Buffer) => parts.push(d));
            res.on('end', () => resolve(outcome(res.statusCode ?? null, Buffer.concat(parts).toString('utf8'), null)));
            res.on('error', (e: NodeJS.ErrnoException) => resolve(`no answer (${e.code ?? e.message})`));
          });
          req.end(FORM);
        }),
      );
    }
    expect(seen).toEqual(Array(TRIES).fill('envelope'));
  });

  it('reaches fetch, every time', async () => {
    const seen: string[] = [];
    for (let i = 0; i < TRIES; i++) {
      try {
        const r = await fetch(`${server.url}/login`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: FORM });
        seen.push(outcome(r.status, await r.text(), null));
      } catch (e) {
        const cause = (e as { cause?: { code?: string } }).cause;
        seen.push(`no answer (${cause?.code ?? String(e)})`);
      }
    }
    expect(seen).toEqual(Array(TRIES).fill('envelope'));
  });

  it("reaches Python's http.client, every time", async (ctx) => {
    const script = `
import http.client, json, sys
port = int(sys.argv[1]); tries = int(sys.argv[2])
body = b'email=a%40b.c&password=' + b'x' * (5 * 1024 * 1024 - 23)
out = []
for _ in range(tries):
    c = http.client.HTTPConnection('127.0.0.1', port, timeout=10)
    try:
        c.request('POST', '/login', body=body, headers={'Content-Type': 'application/x-www-form-urlencoded'})
        r = c.getresponse()
        out.append([r.status, r.read().decode()])
    except Exception as e:
        out.append([None, type(e).__name__])
    finally:
        c.close()
print(json.dumps(out))
`;
    const run = await new Promise<{ ok: boolean; stdout: string }>((resolve) => {
      execFile('python3', ['-c', script, String(port), String(TRIES)], { timeout: 120_000 }, (err, stdout) => resolve({ ok: !err, stdout }));
    });
    if (!run.ok && run.stdout === '') return ctx.skip();
    const results = JSON.parse(run.stdout) as [number | null, string][];
    expect(results.map(([status, text]) => outcome(status, text, status === null ? text : null))).toEqual(Array(TRIES).fill('envelope'));
  }, 180_000);

  it('with Expect: 100-continue, answers 413 instead of 100 Continue, and the body is never sent', async () => {
    const x = await exchange(port, { send: [Buffer.from(formHead({ Expect: '100-continue' }))], waitMs: 1_000 });
    const p = parse(x.raw);
    expect(p.interim).toEqual([]);
    expect(outcome(p.status, p.body, x.error)).toBe('envelope');
    expect(p.headers.connection).toBe('close');
  });

  it('within the cap, Expect: 100-continue still gets 100 Continue, and the route reads the body', async () => {
    const body = Buffer.from('email=a%40b.c&password=x');
    const x = await exchange(port, {
      waitMs: 3_000,
      send: (s) => {
        s.write(requestHead('POST', '/login', { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': body.length, Expect: '100-continue', Connection: 'close' }));
        s.on('end', () => s.end());
        s.once('data', (d: Buffer) => {
          if (d.toString('latin1').startsWith('HTTP/1.1 100 Continue')) s.write(body);
        });
      },
    });
    const p = parse(x.raw);
    expect(p.interim).toEqual([100]);
    // The sign-in form without its token: the route ran on the body it read.
    expect(p.status).toBe(403);
    expect(JSON.parse(p.body).error.code).toBe('DIAG_CSRF_REJECTED');
  });
});
