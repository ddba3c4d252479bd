/** How prepareBlocks cuts a stream into blocks: never across a UTC midnight, whatever the other bounds allow. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_REDACTOR } from '../../src/redact/redactor.js';
import { BLOCK_SPAN_MS, prepareBlocks } from '../../src/store/prepared-batch.js';
import { cid, cpStream, DAY, StreamFixture } from '../fixtures/events.js';

const MIDNIGHT = Date.parse('2026-11-25T00:00:00.000Z');

function day(t: number): number {
  return Math.floor(t / DAY);
}

describe('prepareBlocks', () => {
  it('closes a block at UTC midnight, though the lines either side are a minute apart', () => {
    const s = new StreamFixture(cpStream('midnight'));
    // 23:55 to 00:05 in one-minute steps: well within one block's span and count.
    const times = Array.from({ length: 11 }, (_, i) => MIDNIGHT - 5 * 60_000 + i * 60_000);
    for (const [i, t] of times.entries()) s.cpLine({ cid: cid(`midnight-${i}`), time: t, msg: 'tick' });
    expect(times[10]! - times[0]!).toBeLessThan(BLOCK_SPAN_MS);
    const blocks = prepareBlocks(s.batch().events, DEFAULT_REDACTOR);
    expect(blocks.map((b) => [b.t0, b.t1])).toEqual([
      [times[0], times[4]],
      [times[5], times[10]],
    ]);
    expect(blocks.map((b) => b.offsets.length)).toEqual([5, 6]);
  });

  it('keeps every block within one day when lines go back and forth across midnight', () => {
    const s = new StreamFixture(cpStream('midnight-jitter'));
    // Lines read in file order whose times jump either side of midnight (clocks of several writers).
    const offsets = [-3, 2, -1, 4, 1, -2, 3, -4];
    for (const [i, d] of offsets.entries()) s.cpLine({ cid: cid(`jitter-${i}`), time: MIDNIGHT + d * 1000, msg: 'tick' });
    const blocks = prepareBlocks(s.batch().events, DEFAULT_REDACTOR);
    for (const b of blocks) expect(day(b.t1)).toBe(day(b.t0));
    expect(blocks.reduce((n, b) => n + b.offsets.length, 0)).toBe(offsets.length);
  });

  it('keeps one block for lines of one day', () => {
    const s = new StreamFixture(cpStream('one-day'));
    for (let i = 0; i < 10; i++) s.cpLine({ cid: cid(`one-day-${i}`), time: MIDNIGHT + 60_000 + i * 60_000, msg: 'tick' });
    expect(prepareBlocks(s.batch().events, DEFAULT_REDACTOR)).toHaveLength(1);
  });
});
