/**
 * Blocks on PostgreSQL: a prepared batch sent again when the stream's
 * checkpoint no longer keeps it out (a checkpoint lost or rewound) is kept
 * out by the blocks' key — no block, correlation id, request, audit or count
 * stored twice — and the blocks of a batch are as it prepared them.
 */
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { prepareBatch } from '../../src/store/prepared-batch.js';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { auditStream, cid, cpStream, StreamFixture, T0 } from '../fixtures/events.js';
import { dropSchema, PG_URL, scratchSchemaName } from './pg-scratch.js';

const schema = scratchSchemaName('blocks');

afterAll(async () => {
  await dropSchema(schema);
});

describe('PostgreSQL blocks', () => {
  it('a prepared batch sent again past a rewound checkpoint stores nothing twice', async () => {
    const store = await PostgresStore.open({ connectionString: PG_URL, schema });
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    try {
      const cp = new StreamFixture(cpStream('resend'));
      const au = new StreamFixture(auditStream('resend-audit'));
      const cids: string[] = [];
      for (let i = 0; i < 700; i++) {
        const c = cid(`resend-${i}`);
        cids.push(c);
        cp.request({ cid: c, time: T0 + i * 1000, status: i % 5 ? 200 : 502, code: i % 5 ? undefined : 'CP_EXEC_FAILED', org: 'acme' });
        if (i % 7 === 0) au.audit({ cid: c, time: T0 + i * 1000 + 1, wok: 'wacme1', org: 'acme' });
      }
      const prepared = prepareBatch({ streams: [cp.batch(), au.batch()] }, store.redactor);
      expect(prepared.streams[0]!.blocks.length).toBeGreaterThan(1);
      expect(await store.writePrepared(prepared)).toEqual({ events: 800, unparsed: 0, duplicate: false });
      const counts = async () =>
        (
          await client.query(
            `SELECT (SELECT count(*) FROM "${schema}".blocks)::int AS blocks, (SELECT count(*) FROM "${schema}".block_cids)::int AS ids,
                    (SELECT count(*) FROM "${schema}".requests)::int AS requests, (SELECT count(*) FROM "${schema}".audits)::int AS audits,
                    (SELECT sum(events) FROM "${schema}".event_days)::int AS days`,
          )
        ).rows[0];
      const before = await counts();
      expect(before).toEqual({ blocks: prepared.streams.reduce((n, s) => n + s.blocks.length, 0), ids: 800, requests: 700, audits: 100, days: 800 });

      // The checkpoints forgotten: only the blocks' key stands between the batch and a second copy.
      await client.query(`UPDATE "${schema}".streams SET off = 0, line = 0, ahead = NULL`);
      expect(await store.writePrepared(prepared)).toMatchObject({ events: 0, unparsed: 0 });
      expect(await counts()).toEqual(before);
      expect((await store.stats()).events).toEqual({ cp: 700, container: 0, audit: 100 });
      for (const c of [cids[0]!, cids[350]!, cids[699]!]) expect((await store.eventsByCid(c)).length).toBeLessThanOrEqual(2);
      expect(await store.eventsByCid(cids[0]!)).toHaveLength(2);
      expect((await store.search({ limit: 500, code: 'CP_EXEC_FAILED' })).items).toHaveLength(140);
    } finally {
      await client.end();
      await store.close();
    }
  });
});
