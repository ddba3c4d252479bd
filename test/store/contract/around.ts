/** Lines around one event: same stream only, bounds at the stream's start and end, lines without a correlation id. */
import { describe, expect, it } from 'vitest';
import { cid, container, cpStream, dockerStream, StreamFixture, T0 } from '../../fixtures/events.js';
import type { MakeStore } from '../contract.js';
import { useStore } from './harness.js';

const WOK = 'w1a2b3';

export function aroundContract(make: MakeStore): void {
  describe('around an event', () => {
    const cur = useStore(make);

    it('answers the n lines before and after in the same stream only, lines without a cid included', async () => {
      const a = new StreamFixture(cpStream('a'));
      const b = new StreamFixture(cpStream('b'));
      const c = cid('around');
      const lines = [];
      for (let i = 0; i < 10; i++) {
        lines.push(a.cpLine({ time: T0 + i * 10, msg: `a line ${i}`, ...(i % 2 ? { cid: c } : {}) }));
        b.cpLine({ time: T0 + i * 10 + 1, msg: `b line ${i}`, cid: c });
      }
      await cur.store.writeBatch({ streams: [a.batch(), b.batch()] });
      const got = await cur.store.aroundEvent(lines[5]!.id, 3);
      expect(got?.event).toEqual(lines[5]);
      expect(got?.before).toEqual(lines.slice(2, 5));
      expect(got?.after).toEqual(lines.slice(6, 9));
      expect(got?.before.some((e) => e.cid === null)).toBe(true);
    });

    it('stops at the start and the end of the stream, across several batches of a container', async () => {
      const db = new StreamFixture(dockerStream(container('db', WOK, 'db')));
      const first = [0, 1, 2, 3].map((i) => db.pg({ time: T0 + i, message: `first batch ${i}` }));
      await cur.store.writeBatch({ streams: [db.batch()] });
      const second = [4, 5, 6].map((i) => db.pg({ time: T0 + i, message: `second batch ${i}` }));
      await cur.store.writeBatch({ streams: [db.batch()] });
      const all = [...first, ...second];
      const start = await cur.store.aroundEvent(all[1]!.id, 50);
      expect(start?.before).toEqual([all[0]]);
      expect(start?.after).toEqual(all.slice(2));
      const end = await cur.store.aroundEvent(all[6]!.id, 2);
      expect(end?.before).toEqual(all.slice(4, 6));
      expect(end?.after).toEqual([]);
      expect((await cur.store.aroundEvent(all[0]!.id, 0))?.after).toEqual([]);
    });

    it('reads through blocks of hundreds of lines', async () => {
      const a = new StreamFixture(cpStream('big'));
      const lines = Array.from({ length: 1300 }, (_, i) => a.cpLine({ time: T0 + i, msg: `line ${i}` }));
      await cur.store.writeBatch({ streams: [a.batch()] });
      const got = await cur.store.aroundEvent(lines[700]!.id, 500);
      expect(got?.before).toEqual(lines.slice(200, 700));
      expect(got?.after).toEqual(lines.slice(701, 1201));
    });

    it('answers null for an id of no stored event', async () => {
      const a = new StreamFixture(cpStream('a'));
      const e = a.cpLine({ time: T0, msg: 'only' });
      await cur.store.writeBatch({ streams: [a.batch()] });
      expect(await cur.store.aroundEvent(`${e.id}9`, 5)).toBeNull();
      expect(await cur.store.aroundEvent('no-such-stream:0', 5)).toBeNull();
      expect(await cur.store.aroundEvent('garbage', 5)).toBeNull();
    });
  });
}
