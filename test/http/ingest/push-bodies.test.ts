/**
 * POST /v1/ingest's bodies over real HTTP, inline and on the push thread:
 * gzip and its decompressed cap, the body caps (413 in our envelope, with or
 * without Content-Length), ?kind=, redaction before storage (the configured
 * patterns too), and bad bytes counted rather than fatal.
 */
import { gzipSync } from 'node:zlib';
import { beforeEach, describe, expect, it } from 'vitest';
import { auditLine } from '../../../scripts/formats/audit-log.js';
import { createRedactor } from '../../../src/redact/redactor.js';
import { batch, cid, cpLine, T0, usePushServer } from './push-harness.js';

const h = usePushServer();

describe.each(['inline', 'push thread'] as const)('POST /v1/ingest bodies (%s)', (m) => {
  beforeEach(() => {
    h.mode = m;
  });

  it('reads gzip bodies; a zip bomb stops at the decompressed cap with 413; broken gzip is 400', async () => {
    await h.start({ config: { ingestMaxBytes: 1024 * 1024 } });
    const ok = await h.push(gzipSync(batch(0, 100)), { headers: { 'content-encoding': 'gzip' } });
    expect(ok.body).toMatchObject({ accepted: 100 });
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x61));
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const r = await h.push(bomb, { headers: { 'content-encoding': 'gzip' } });
    expect(r.status).toBe(413);
    expect((r.body.error as Record<string, string>).code).toBe('DIAG_BODY_TOO_LARGE');
    const broken = await h.push(gzipSync(batch(0, 100)).subarray(0, 200), { headers: { 'content-encoding': 'gzip' } });
    expect(broken.status).toBe(400);
    expect((await h.push('x', { headers: { 'content-encoding': 'br' } })).status).toBe(415);
  });

  it('a body over the cap is 413 in our envelope, with or without Content-Length', async () => {
    await h.start({ config: { ingestMaxBytes: 64 * 1024 } });
    const big = batch(0, 1000);
    expect(big.length).toBeGreaterThan(64 * 1024);
    const r = await h.push(big);
    expect(r.status).toBe(413);
    expect((r.body.error as Record<string, string>).code).toBe('DIAG_BODY_TOO_LARGE');
    // Chunked: no Content-Length, so the route counts as it reads.
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < 20; i++) c.enqueue(Buffer.from(batch(i * 50, 50)));
        c.close();
      },
    });
    const chunked = await fetch(`${h.server.url}/v1/ingest`, {
      method: 'POST',
      headers: { authorization: `Bearer ${h.ingestToken}`, 'content-type': 'application/x-ndjson' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(413);
    expect(((await chunked.json()) as { error: { code: string } }).error.code).toBe('DIAG_BODY_TOO_LARGE');
    expect((await h.db.store.stats()).events.cp).toBe(0);
  });

  it('has its own cap, above the app-wide one: a 2 MiB push is stored, past 8 MiB is 413, other routes keep 1 MiB', async () => {
    await h.start();
    const lines = batch(0, Math.ceil((2 * 1024 * 1024) / cpLine(0).length));
    expect(lines.length).toBeGreaterThan(2 * 1024 * 1024);
    const ok = await h.push(lines);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ unparsed: 0, duplicate: false });
    expect((await h.db.store.stats()).events.cp).toBe(ok.body.accepted);
    // Over the default 8 MiB: refused on its Content-Length before a byte is read.
    const over = await h.push(Buffer.alloc(8 * 1024 * 1024 + 1, 0x0a));
    expect(over.status).toBe(413);
    expect((over.body.error as Record<string, string>).code).toBe('DIAG_BODY_TOO_LARGE');
    // Everything else still has the app's 1 MiB.
    const form = await fetch(`${h.server.url}/login`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'x='.padEnd(2 * 1024 * 1024, 'a') });
    expect(form.status).toBe(413);
    expect(((await form.json()) as { error: { code: string } }).error.code).toBe('DIAG_BODY_TOO_LARGE');
  });

  it('?kind= keeps one source (the rest counted unparsed, with why); unknown kinds, types and methods are refused', async () => {
    await h.start();
    const body = batch(0, 3) + auditLine({ time: T0, actor: 'a@b.c', org: 'acme', action: 'org.read', outcome: 'success', correlationId: cid(9), ip: '10.0.0.1' }) + '\n';
    const r = await h.push(body, { kind: 'audit' });
    expect(r.body).toMatchObject({ accepted: 1, unparsed: 3 });
    const items = (await h.db.store.unparsed()).items;
    expect(items[0]!.reason).toMatch(/kind=audit/);
    expect((await h.push(body, { kind: 'nginx' })).status).toBe(400);
    expect((await h.push(body, { headers: { 'content-type': 'image/png' } })).status).toBe(415);
    const get = await fetch(`${h.server.url}/v1/ingest`, { headers: { authorization: `Bearer ${h.ingestToken}` } });
    expect(get.status).toBe(405);
  });

  it('redacts pushed secrets before storing them', async () => {
    await h.start();
    const key = 'skl_' + '7'.repeat(8) + 'a'.repeat(56);
    const line = cpLine(1, { req: { id: cid(1), method: 'POST', url: '/v1/woks/w/exec', headers: { authorization: `Bearer ${key}` } } });
    expect((await h.push(line + '\n')).body).toMatchObject({ accepted: 1 });
    await h.db.closeStore();
    expect(h.db.bytes().includes(Buffer.from(key))).toBe(false);
  });

  it.runIf(m === 'push thread')('the push thread redacts with the configured DIAG_REDACT_PATTERNS too', async () => {
    await h.start({}, createRedactor({ patterns: ['ACME-[0-9]{6}'] }));
    expect((await h.push(cpLine(3, { msg: 'issued ACME-654321' }) + '\n')).body).toMatchObject({ accepted: 1 });
    expect((await h.db.store.eventsByCid(cid(3)))[0]!.message).toBe('issued [REDACTED]');
    await h.stopPusher();
    await h.db.closeStore();
    expect(h.db.bytes().includes(Buffer.from('ACME-654321'))).toBe(false);
  });

  it('bad bytes are counted, not fatal: invalid UTF-8, binary garbage, an over-long line', async () => {
    await h.start({ config: { bodyLimit: '4mb' } });
    const body = Buffer.concat([
      Buffer.from(cpLine(0) + '\n'),
      Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x9c, 0x0a]),
      Buffer.from('{"level":30,"time":' + (T0 + 1) + ',"msg":"caf\xe9","correlation_id":"' + cid(1) + '"}\n', 'latin1'),
      Buffer.from('{"level":30,"msg":"' + 'y'.repeat(1200 * 1024) + '"}\n'),
      Buffer.from(cpLine(2) + '\n'),
    ]);
    const r = await h.push(body);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ lines: 5, accepted: 3, unparsed: 2, invalid_utf8: 2, truncated: 1 });
    const e = await h.db.store.eventsByCid(cid(1));
    expect(e[0]!.message).toBe('caf\ufffd');
    expect(await h.db.store.eventsByCid(cid(2))).toHaveLength(1);
  });
});
