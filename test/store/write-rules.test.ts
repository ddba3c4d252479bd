/** The write rules every store applies (src/store/write-rules.ts), on the situations that need them. */
import { describe, expect, it } from 'vitest';
import { offsetOf } from '../../src/store/event-codec.js';
import { IdempotencyConflict } from '../../src/store/store.js';
import type { StreamBatch } from '../../src/store/store.js';
import {
  counterRows,
  countSource,
  freshFilter,
  idempotentRepeat,
  markAfter,
  mergeStream,
  writeResult,
  type SourceCounts,
  type StoredStream,
  type StreamMark,
} from '../../src/store/write-rules.js';
import { checkpoint, cid, cpStream, StreamFixture, T0 } from '../fixtures/events.js';

/** A cp stream of `n` lines, one a second, read into one batch. */
function lines(seed: string, n: number): { s: StreamFixture; batch: StreamBatch; at: (i: number) => number } {
  const s = new StreamFixture(cpStream(seed));
  for (let i = 0; i < n; i++) s.cpLine({ cid: cid(`${seed}-${i}`), time: T0 + i * 1000, msg: 'wok resolved', wok: 'w1a2b3' });
  const batch = s.batch();
  return { s, batch, at: (i) => offsetOf(batch.events[i]!.id) };
}

const EMPTY: StoredStream = { path: null, dev: null, ino: null, offset: 0, line: 0, size: null, lastTime: null, tail: null, events: 0, unparsed: 0, invalidUtf8: 0, truncated: 0, ahead: [] };

/** Runs one part through the rules as a writer does: what it keeps, and the row after it (every kept line stored). */
function write(row: StoredStream, part: StreamBatch): { kept: number[]; row: StoredStream } {
  const fresh = freshFilter(row);
  const kept = part.events.map((e) => offsetOf(e.id)).filter(fresh);
  const keptUnparsed = part.unparsed.map((u) => u.offset).filter(fresh);
  const { ahead } = markAfter(row, part.checkpoint, [kept, keptUnparsed]);
  return { kept, row: mergeStream(row, { path: part.stream.path, checkpoint: part.checkpoint, events: kept.length, unparsed: keptUnparsed.length, ahead }) };
}

describe('write rules: what a part keeps', () => {
  it('a re-read after a crash before the commit keeps only the lines past the committed offset', () => {
    const { s, batch, at } = lines('crash', 6);
    const committed = write(EMPTY, { ...batch, events: batch.events.slice(0, 3), checkpoint: checkpoint(s.key, at(3), { line: 3 }) }).row;
    expect(committed).toMatchObject({ offset: at(3), ahead: [], events: 3 });
    // The reader restarts from its last saved position (the start) and reads everything again.
    const again = write(committed, batch);
    expect(again.kept).toEqual([at(3), at(4), at(5)]);
    expect(again.row).toMatchObject({ offset: s.offset, line: 6, events: 6, ahead: [] });
    // And once more, as when the commit succeeded but its answer was lost: nothing.
    expect(write(again.row, batch).kept).toEqual([]);
  });

  it('two readers of one file: lines stored past the checkpoint by one are not kept from the other', () => {
    const { s, batch, at } = lines('two-readers', 8);
    // Reader A stored lines 0..5 but committed only to line 2 (the lines after it overtook a pending line).
    const a = write(EMPTY, { ...batch, events: batch.events.slice(0, 6), checkpoint: checkpoint(s.key, at(2), { line: 2 }) });
    expect(a.row.ahead).toEqual([at(2), at(3), at(4), at(5)]);
    // Reader B reads 1..7: line 1 is committed, 2..5 are stored ahead, only 6 and 7 are new.
    const b = write(a.row, { ...batch, events: batch.events.slice(1) });
    expect(b.kept).toEqual([at(6), at(7)]);
    expect(b.row).toMatchObject({ offset: s.offset, ahead: [], events: 8 });
  });

  it('the new ahead list keeps offsets at or past the committed offset, from now and before, once each and ascending', () => {
    const mark: StreamMark = { offset: 100, ahead: [400, 250, 250] };
    expect(markAfter(mark, checkpoint('k', 200), [[300, 150, 250], [220]])).toEqual({ offset: 200, ahead: [220, 250, 300, 400] });
    // A checkpoint behind the stored offset: the stored one bounds the list.
    expect(markAfter({ offset: 300, ahead: [350] }, checkpoint('k', 100), [[200, 320]])).toEqual({ offset: 300, ahead: [320, 350] });
    expect(markAfter({ offset: 0, ahead: [] }, checkpoint('k', 500), [[10, 20]])).toEqual({ offset: 500, ahead: [] });
  });

  it('the same stream twice in one batch: the second part sees what the first kept', () => {
    const { s, batch, at } = lines('twice', 6);
    const first = write(EMPTY, { ...batch, events: batch.events.slice(0, 4), checkpoint: checkpoint(s.key, at(2), { line: 2, tail: 'aaaa' }) });
    const second = write(first.row, { ...batch, events: batch.events.slice(1), checkpoint: checkpoint(s.key, s.offset, { line: 6, tail: 'bbbb' }) });
    expect(first.kept).toEqual([at(0), at(1), at(2), at(3)]);
    expect(second.kept).toEqual([at(4), at(5)]);
    expect(second.row).toMatchObject({ offset: s.offset, line: 6, tail: 'bbbb', events: 6, ahead: [] });
  });
});

describe('write rules: the stream row after a part', () => {
  const row: StoredStream = { ...EMPTY, path: '/var/log/tellwang/cp.log', dev: 2049, ino: 7, offset: 300, line: 3, size: 300, lastTime: T0, tail: 'aaaa', events: 3, unparsed: 1, invalidUtf8: 1, truncated: 0, ahead: [350] };
  const part = (offset: number, o: Parameters<typeof checkpoint>[2], path: string | null = null) => ({ path, checkpoint: checkpoint('k', offset, o), events: 0, unparsed: 0, ahead: [] });

  it('a checkpoint behind the stored one moves nothing back, but size, dev and ino are the part’s', () => {
    const next = mergeStream(row, part(100, { line: 1, lastTime: T0 - 5, tail: 'older', dev: 2050, ino: 8, size: 120 }));
    expect(next).toMatchObject({ offset: 300, line: 3, lastTime: T0, tail: 'aaaa', dev: 2050, ino: 8, size: 120, path: row.path });
  });

  it('the tail at the same offset: a digest replaces the stored one, none keeps it', () => {
    expect(mergeStream(row, part(300, { line: 3, tail: 'bbbb' })).tail).toBe('bbbb');
    expect(mergeStream(row, part(300, { line: 3, tail: null })).tail).toBe('aaaa');
    expect(mergeStream(row, part(300, { line: 3 })).tail).toBe('aaaa');
  });

  it('the tail at a newer offset is the part’s, even none', () => {
    expect(mergeStream(row, part(400, { line: 4, tail: 'cccc' })).tail).toBe('cccc');
    expect(mergeStream(row, part(400, { line: 4, tail: null })).tail).toBeNull();
  });

  it('lastTime is the newest known: a part without one keeps the stored one, a first one is taken', () => {
    expect(mergeStream(row, part(400, { lastTime: null })).lastTime).toBe(T0);
    expect(mergeStream(row, part(400, { lastTime: T0 + 1 })).lastTime).toBe(T0 + 1);
    expect(mergeStream(EMPTY, part(10, { lastTime: T0 - 1 })).lastTime).toBe(T0 - 1);
  });

  it('counters add up, the path is the part’s when it names one, the ahead list is the part’s', () => {
    const next = mergeStream(row, { path: '/var/log/tellwang/cp.log.1', checkpoint: checkpoint('k', 400, { invalidUtf8: 2, truncated: 1 }), events: 5, unparsed: 2, ahead: [410] });
    expect(next).toMatchObject({ events: 8, unparsed: 3, invalidUtf8: 3, truncated: 1, path: '/var/log/tellwang/cp.log.1', ahead: [410] });
  });
});

describe('write rules: the answer', () => {
  it('a duplicate offered lines and stored none; a checkpoint alone is none', () => {
    expect(writeResult(0, 0, 0)).toEqual({ events: 0, unparsed: 0, duplicate: false });
    expect(writeResult(7, 0, 0)).toEqual({ events: 0, unparsed: 0, duplicate: true });
    expect(writeResult(7, 0, 1)).toEqual({ events: 0, unparsed: 1, duplicate: false });
    expect(writeResult(7, 3, 0)).toEqual({ events: 3, unparsed: 0, duplicate: false });
  });

  it('idempotency: a first batch is written, a repeat answers the stored result, another batch is refused', () => {
    const idem = { key: 'push-0001', digest: 'd1' };
    expect(idempotentRepeat(idem, undefined)).toBeNull();
    expect(idempotentRepeat(idem, { digest: 'd1', result: JSON.stringify({ events: 8, unparsed: 1, duplicate: false }) })).toEqual({ events: 8, unparsed: 1, duplicate: true });
    expect(() => idempotentRepeat(idem, { digest: 'd2', result: '{"events":1,"unparsed":0,"duplicate":false}' })).toThrow(IdempotencyConflict);
    // A record without its result (a claim not answered): written.
    expect(idempotentRepeat(idem, { digest: 'd1', result: null })).toBeNull();
  });

  it('counters per source, in source order', () => {
    const counts: SourceCounts = {};
    countSource(counts, 'container', 2);
    countSource(counts, 'cp', 5);
    countSource(counts, 'container', 1);
    expect(counterRows(counts)).toEqual([
      ['container', 3],
      ['cp', 5],
    ]);
  });
});
