/** The bench's drop of a day, small: the corpus copied into its own day, that day dropped, the store as it was before. */
import { afterAll, describe, expect, it } from 'vitest';
import { pgPartitionDrop } from '../../bench/pg-partition-drop.js';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { auditStream, cid, container, cpStream, dockerStream, StreamFixture, T0 } from '../fixtures/events.js';
import { dropSchema, PG_URL, scratchSchemaName } from '../store/pg-scratch.js';

const schema = scratchSchemaName('dropbench');

afterAll(async () => {
  await dropSchema(schema);
});

describe('bench: PostgreSQL drop of a day', () => {
  it('copies every row into 2001-01-01, drops that day by prune and reports it; what was there before is untouched', async () => {
    const store = await PostgresStore.open({ connectionString: PG_URL, schema });
    try {
      const cp = new StreamFixture(cpStream('dropbench'));
      const au = new StreamFixture(auditStream('dropbench-audit'));
      const db = new StreamFixture(dockerStream(container('dropbench-db', 'wacme1', 'db')));
      for (let i = 0; i < 20; i++) {
        cp.request({ cid: cid(`db-${i}`), time: T0 + i * 1000, status: 500, code: 'CP_EXEC_FAILED' });
        au.audit({ cid: cid(`db-${i}`), time: T0 + i * 1000 + 1, wok: 'wacme1', org: 'acme' });
      }
      db.pg({ time: T0, message: 'database system is shut down' });
      cp.garbage('not a log line', T0 + 5);
      await store.writeBatch({ streams: [cp.batch(), au.batch(), db.batch()] });
      const before = await store.stats();
      const lines: string[] = [];
      const r = await pgPartitionDrop(PG_URL, schema, (l) => lines.push(l), { checkpoint: false });
      expect(r).toMatchObject({ day: '2001-01-01', events: 41 });
      expect(r.bytes).toBeGreaterThan(0);
      expect(r.reads).toBeGreaterThan(0);
      expect(await store.stats()).toEqual(before);
      expect(await store.eventsByCid(cid('db-3'))).toHaveLength(2);
    } finally {
      await store.close();
    }
  });
});
