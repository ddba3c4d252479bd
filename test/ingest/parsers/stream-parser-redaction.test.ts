/**
 * StreamParser redacts before anything is stored: keys, Bearer tokens,
 * cookies and passwords from cp, audit, PostgreSQL and Docker lines (one
 * straddling Docker's 16 KiB split) are gone from every event and every
 * stored line, with a platform key's prefix kept to name the caller.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { StreamParser } from '../../../src/ingest/parsers/stream-parser.js';
import type { Event } from '../../../src/model/event.js';
import { DEFAULT_REDACTOR } from '../../../src/redact/redactor.js';
import { encodeForStore } from '../../../src/store/event-codec.js';
import { auditLine } from '../../../scripts/formats/audit-log.js';
import { dockerRecords } from '../../../scripts/formats/docker-json-file.js';
import { mintKey } from '../../../scripts/formats/inventory-file.js';
import { capturePino } from '../../../scripts/formats/pino-lines.js';
import { pgLine } from '../../../scripts/formats/postgres-log.js';
import { runCp, type CpRun } from '../../fixtures/cp-app.js';
import { CID, dockerStream, feed, fileStream, T } from '../../fixtures/parser-streams.js';

describe('redaction happens before anything is stored', () => {
  const key = mintKey('skl');
  const llm = mintKey('sllm');
  const body = (k: string) => k.slice(k.indexOf('_') + 9);
  const SECRETS = [body(key.key), body(llm.key), 's3cr3t-cookie-value', 'hunter2-pw', 'eyJhbGciOiJIUzI1NiJ9', 'opaque-bearer-token-123', 'dbpass-XYZ'];
  let run: CpRun;
  let events: Event[];
  let stored: string[];

  function expectClean(what: unknown): void {
    const text = JSON.stringify(what);
    for (const s of SECRETS) expect(text, `secret ${s}`).not.toContain(s.slice(0, 12));
  }

  beforeAll(async () => {
    run = await runCp('req-id', [
      {
        method: 'POST',
        path: '/v1/woks/w1/env?token=opaque-bearer-token-123',
        headers: { authorization: `Bearer ${key.key}`, cookie: 'sid=s3cr3t-cookie-value' },
        body: { vars: { A: '1' }, dotenv: 'A=1', password: 'hunter2-pw', llm_key: llm.key },
      },
      { method: 'POST', path: '/v1/woks/w1/sql', headers: { authorization: `Bearer ${key.key}` } },
    ]);
    const fn = capturePino({ correlation_id: CID });
    fn.logger.error({ err: new Error(`upstream said 401 for Authorization: Bearer ${llm.key}`), headers: { authorization: 'Bearer opaque-bearer-token-123', cookie: 'sid=s3cr3t-cookie-value' } }, `calling with ${key.key}`);
    const fnLines = fn.take();
    const p = new StreamParser(fileStream, 1024 * 1024);
    feed(p, [
      ...run.lines,
      auditLine({ time: T, actor: 'ana', org: 'acme', action: 'key.create', outcome: 'success', correlationId: CID, ip: '10.0.0.1', extra: { key: key.key, new_password: 'hunter2-pw', session_token: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig-sig-sig' } }),
      pgLine({ time: T, pid: 77, application: `cp:${CID}`, severity: 'STATEMENT', message: "ALTER ROLE app WITH LOGIN PASSWORD 'dbpass-XYZ'" }),
    ]);
    const d = new StreamParser(dockerStream, 1024 * 1024);
    feed(
      d,
      [
        ...dockerRecords({ text: fnLines[0]!, stream: 'stdout', time: T }),
        ...dockerRecords({ text: pgLine({ time: T, pid: 78, application: `cp:${CID}`, severity: 'STATEMENT', message: "CREATE ROLE x PASSWORD 'dbpass-XYZ'" }), stream: 'stderr', time: T }),
        ...dockerRecords({ text: `GET /hook?x=1 Authorization: Bearer opaque-bearer-token-123 Cookie: sid=s3cr3t-cookie-value`, stream: 'stdout', time: T }),
        // A secret that straddles Docker's 16 KiB split.
        ...dockerRecords({ text: 'p'.repeat(16 * 1024 - 6) + ` key=${key.key} done`, stream: 'stdout', time: T }),
      ].map((l) => l.replace(/\n$/, '')),
    );
    events = [...p.take().events, ...d.take().events];
    // What the stores write: each event encoded for storage (which redacts it in place where needed).
    stored = events.map((e) => encodeForStore(e, DEFAULT_REDACTOR));
  });

  it('the raw lines did hold the secrets (the test would catch a leak)', () => {
    const raw = run.lines.join('\n');
    expect(raw).toContain(key.key);
    expect(raw).toContain('s3cr3t-cookie-value');
    expect(raw).toContain('hunter2-pw');
  });

  it('no key body, Bearer token, cookie or password survives in any stored line or event', () => {
    expect(events.length).toBe(run.lines.length + 2 + 4);
    for (const line of stored) expectClean(line);
    for (const e of events) expectClean(e);
  });

  it('a platform key keeps its prefix (first 8 hex), so the caller can still be named', () => {
    const done = events.find((e) => e.source === 'cp' && e.http?.path.startsWith('/v1/woks/w1/env'));
    expect(done && done.source === 'cp' && done.http!.keyPrefix).toBe(key.prefix);
    expect(JSON.stringify(events)).toContain(key.prefix);
  });

  it('the PostgreSQL STATEMENT keeps its statement, not the password', () => {
    const st = events.filter((e) => e.source === 'container' && e.message.includes('ROLE'));
    expect(st.length).toBe(2);
    for (const e of st) expect(e.message).toMatch(/PASSWORD \[REDACTED\]$/);
  });

  it('unparsed heads are redacted too', () => {
    const p = new StreamParser(fileStream, 1024);
    p.push(`garbage Authorization: Bearer ${key.key} password=hunter2-pw`, 0, 1);
    const { unparsed } = p.take();
    expect(unparsed.length).toBe(1);
    expectClean(unparsed);
  });
});
