/** writeBatch with one stream in several parts of a batch: each part sees the ones before it. */
import { describe, expect, it } from 'vitest';
import type { StreamBatch } from '../../../src/store/store.js';
import { checkpoint, cid, cpStream, StreamFixture, T0 } from '../../fixtures/events.js';
import type { MakeStore } from '../contract.js';
import { useStore } from './harness.js';

function offsetOf(id: string): number {
  return Number(id.slice(id.lastIndexOf(':') + 1));
}

export function writePartsContract(make: MakeStore): void {
  describe('writeBatch: one stream twice in a batch', () => {
    const cur = useStore(make);

    it('the second part stores only what the first did not, and the counters and checkpoint add up over both', async () => {
      const s = new StreamFixture(cpStream('parts'));
      const cids: string[] = [];
      for (let i = 0; i < 10; i++) {
        cids.push(cid(`parts-${i}`));
        s.cpLine({ cid: cids[i]!, time: T0 + i * 1000, msg: 'wok resolved', wok: 'w1a2b3' });
      }
      const junk = s.garbage('not a log line');
      const all = s.batch();
      const at = (i: number) => offsetOf(all.events[i]!.id);
      // Part 1 read lines 0..5 but commits only up to line 3 (lines 3..5 are stored ahead of it).
      const first: StreamBatch = { ...all, events: all.events.slice(0, 6), unparsed: [], checkpoint: checkpoint(s.key, at(3), { line: 3, lastTime: T0 + 5000, tail: 'aaaa', invalidUtf8: 1 }) };
      // Part 2 reads again from line 2: lines 2..5 are stored already, 6..9 and the unparsed line are new.
      const second: StreamBatch = { ...all, events: all.events.slice(2), checkpoint: checkpoint(s.key, s.offset, { line: 11, lastTime: T0 + 9000, tail: 'bbbb', truncated: 1 }) };
      expect(await cur.store.writeBatch({ streams: [first, second] })).toEqual({ events: 10, unparsed: 1, duplicate: false });
      for (const c of cids) expect(await cur.store.eventsByCid(c)).toHaveLength(1);
      expect((await cur.store.unparsed()).items).toEqual([junk]);
      expect(await cur.store.checkpoint(s.key)).toMatchObject({ offset: s.offset, line: 11, lastTime: T0 + 9000, tail: 'bbbb', unparsed: 1, invalidUtf8: 1, truncated: 1 });
      const [state] = await cur.store.streams();
      expect(state).toMatchObject({ stream: s.key, events: 10, unparsed: 1 });
      // Both parts again, as after a crash before the commit was known: nothing new.
      expect(await cur.store.writeBatch({ streams: [first, second] })).toEqual({ events: 0, unparsed: 0, duplicate: true });
      expect((await cur.store.stats()).events.cp).toBe(10);
    });

    it('a part behind the one before it moves nothing back; the same offset without a digest keeps the tail', async () => {
      const s = new StreamFixture(cpStream('parts-behind'));
      const only = (offset: number, o: Parameters<typeof checkpoint>[2]): StreamBatch => ({ stream: s.info, events: [], unparsed: [], checkpoint: checkpoint(s.key, offset, o) });
      await cur.store.writeBatch({ streams: [only(300, { line: 3, lastTime: T0, tail: 'cccc' }), only(300, { line: 3, tail: null }), only(100, { line: 1, lastTime: T0 - 1, tail: 'older' })] });
      expect(await cur.store.checkpoint(s.key)).toMatchObject({ offset: 300, line: 3, lastTime: T0, tail: 'cccc' });
    });

    it('a new stream is created as the first part that writes it names it', async () => {
      const s = new StreamFixture(cpStream('parts-new'));
      s.cpLine({ cid: cid('parts-new'), time: T0, msg: 'listening' });
      const first = s.batch();
      const renamed = { ...s.info, kind: 'push' as const, path: null, source: 'audit' as const };
      const second: StreamBatch = { stream: renamed, events: [], unparsed: [], checkpoint: checkpoint(s.key, first.checkpoint.offset, { line: 1 }) };
      await cur.store.writeBatch({ streams: [first, second] });
      const [state] = await cur.store.streams();
      expect(state).toMatchObject({ stream: s.key, kind: 'file', source: 'cp', path: s.info.path, events: 1 });
    });
  });
}
