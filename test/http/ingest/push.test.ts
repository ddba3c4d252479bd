/**
 * POST /v1/ingest over real HTTP with a real store, inline and on the push
 * thread: counts after commit, auth, Idempotency-Key (repeats, concurrent
 * repeats, conflicts), journald and blind retries stored once, and that
 * pushed lines are found by their correlation id. Bodies, caps, kinds,
 * redaction and bad bytes are in push-bodies.test.ts.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { auditLine } from '../../../scripts/formats/audit-log.js';
import { journalLine } from '../../ingest-push/journal-lines.js';
import { batch, cid, cpLine, T0, usePushServer } from './push-harness.js';

const h = usePushServer();

describe.each(['inline', 'push thread'] as const)('POST /v1/ingest (%s)', (m) => {
  beforeEach(() => {
    h.mode = m;
  });

  it('stores the lines, answers the counts after the commit, and the ticket finds them', async () => {
    await h.start();
    const body =
      batch(0, 5) +
      auditLine({ time: T0 + 9, actor: 'ana@acme.io', org: 'acme', action: 'wok.env.update', outcome: 'success', correlationId: cid(1), ip: '10.0.0.9' }) +
      '\nthis is not a log line\n' +
      cpLine(5); // the last line needs no newline: the body is complete
    const r = await h.push(body);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ accepted: 7, unparsed: 1, lines: 8, duplicate: false });
    const stats = await h.db.store.stats();
    expect(stats.events).toEqual({ cp: 6, container: 0, audit: 1 });
    expect(stats.unparsed).toBe(1);
    expect((await h.db.store.eventsByCid(cid(1))).map((e) => e.source).sort()).toEqual(['audit', 'cp']);
    const t = await fetch(`${h.server.url}/v1/tickets/${cid(5)}`, { headers: { authorization: `Bearer ${h.operatorToken}` } });
    expect(t.status).toBe(200);
  });

  it('accepts an operator token; refuses no credential, a bad one and a revoked one with 401 in the envelope', async () => {
    await h.start();
    expect((await h.push(batch(0, 1), { token: h.operatorToken })).status).toBe(200);
    for (const token of [null, 'sdo_' + 'A'.repeat(43), 'nonsense']) {
      const r = await h.push(batch(1, 1), { token });
      expect(r.status).toBe(401);
      expect((r.body.error as Record<string, string>).code).toBe('DIAG_UNAUTHENTICATED');
      expect((r.body.error as Record<string, string>).correlation_id).toMatch(/^[0-9a-f]{16}$/);
    }
    await h.db.store.revokeToken('shipper', Date.now());
    expect((await h.push(batch(2, 1))).status).toBe(401);
    expect((await h.db.store.stats()).events.cp).toBe(1);
  });

  it('an Idempotency-Key makes a repeat a no-op with the first answer; another body under the key is 409', async () => {
    await h.start();
    const first = await h.push(batch(0, 10), { key: 'batch-0001' });
    expect(first.body).toMatchObject({ accepted: 10, duplicate: false });
    const again = await h.push(batch(0, 10), { key: 'batch-0001' });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ accepted: 10, duplicate: true });
    const other = await h.push(batch(100, 3), { key: 'batch-0001' });
    expect(other.status).toBe(409);
    expect((other.body.error as Record<string, string>).code).toBe('DIAG_IDEMPOTENCY_CONFLICT');
    expect((await h.db.store.stats()).events.cp).toBe(10);
  });

  it('concurrent repeats of one keyed batch store it once', async () => {
    await h.start();
    const body = batch(0, 200);
    const answers = await Promise.all(Array.from({ length: 16 }, () => h.push(body, { key: 'same-batch' })));
    expect(answers.map((a) => a.status)).toEqual(Array(16).fill(200));
    expect(answers.filter((a) => a.body.duplicate === false)).toHaveLength(1);
    expect(answers.every((a) => a.body.accepted === 200)).toBe(true);
    expect((await h.db.store.stats()).events.cp).toBe(200);
    for (let i = 0; i < 200; i += 37) expect(await h.db.store.eventsByCid(cid(i))).toHaveLength(1);
  });

  it('journald entries pushed again in another batch (a shipper restarted) are stored once; the answer says how many were already stored', async () => {
    await h.start();
    const entries = Array.from({ length: 15 }, (_, n) => journalLine({ time: T0 + n, message: JSON.stringify({ level: 30, time: T0 + n, msg: `job ${n}`, correlation_id: cid(300 + n) }), unit: 'worker.service' }));
    const first = await h.push(entries.slice(0, 10).join('\n') + '\n');
    expect(first.body).toMatchObject({ lines: 10, accepted: 10, already_stored: 0 });
    const again = await h.push(entries.slice(5).join('\n') + '\n');
    expect(again.body).toMatchObject({ lines: 10, accepted: 5, already_stored: 5, duplicate: false });
    for (let n = 0; n < 15; n++) expect(await h.db.store.eventsByCid(cid(300 + n))).toHaveLength(1);
  });

  it('a blind retry of the same bytes without a key stores nothing twice; concurrent ones neither', async () => {
    await h.start();
    const body = batch(0, 50);
    expect((await h.push(body)).body).toMatchObject({ accepted: 50, duplicate: false });
    expect((await h.push(body)).body).toMatchObject({ accepted: 0, duplicate: true });
    await Promise.all(Array.from({ length: 8 }, () => h.push(batch(1000, 20))));
    expect((await h.db.store.stats()).events.cp).toBe(70);
  });
});
