/** A prepared batch decodes back to the batch it was made from: every source, containers, unparsed lines, checkpoints, the idempotency key. */
import { describe, expect, it } from 'vitest';
import { BLOCK_EVENTS, prepareBatch } from '../../src/store/prepared-batch.js';
import { preparedLines, preparedStreamBatch, preparedWriteBatch } from '../../src/store/prepared-events.js';
import { auditStream, cid, container, cpStream, dockerStream, StreamFixture, T0 } from '../fixtures/events.js';

describe('prepared events', () => {
  it('gives back the events of every source, in order, with their containers, unparsed lines and checkpoints', () => {
    const c = cid('decode');
    const cp = new StreamFixture(cpStream('decode-cp'));
    const au = new StreamFixture(auditStream('decode-audit'));
    const db = new StreamFixture(dockerStream(container('decode-db', 'w1a2b3', 'db')));
    const fn = new StreamFixture(dockerStream(container('decode-fn', 'w1a2b3', 'functions')));
    cp.cpLine({ cid: c, time: T0, msg: 'wok resolved', wok: 'w1a2b3' });
    cp.garbage('not a log line');
    cp.request({ cid: c, time: T0 + 9, method: 'POST', url: '/v1/woks/w1a2b3/sql', status: 500, code: 'CP_EXEC_FAILED', message: 'exec_sql failed', hint: 'retry', org: 'acme' });
    db.pg({ time: T0 + 3, severity: 'ERROR', message: 'relation "missing_table" does not exist', cid: c });
    fn.fn({ time: T0 + 4, msg: 'invoking handler', cid: c, level: 50 });
    au.audit({ cid: c, time: T0 + 10, wok: 'w1a2b3', action: 'wok.restart', outcome: 'failure' });
    const batch = { streams: [cp.batch(), au.batch(), db.batch(), fn.batch()], idempotency: { key: 'k', digest: 'd' } };
    const prepared = prepareBatch(batch);
    expect(preparedWriteBatch(prepared)).toEqual(batch);
    expect(prepared.streams.map(preparedLines)).toEqual([3, 1, 1, 1]);
  });

  it('joins a stream cut into several blocks back into one list, in offset order', () => {
    const s = new StreamFixture(cpStream('decode-many'));
    const n = BLOCK_EVENTS * 2 + 7;
    for (let i = 0; i < n; i++) s.cpLine({ cid: cid(`many-${i}`), time: T0 + i, msg: `line ${i}` });
    const part = s.batch();
    const [prepared] = prepareBatch({ streams: [part] }).streams;
    expect(prepared!.blocks.length).toBe(3);
    expect(preparedStreamBatch(prepared!)).toEqual(part);
    expect(preparedLines(prepared!)).toBe(n);
  });
});
