/**
 * A history strip's bars: a restart of a few seconds in a six-hour strip
 * stays visible — drawn wider than it lasted, and painted after (above) the
 * bars around it.
 */
import { describe, expect, it } from 'vitest';
import type { Segment } from '../../../src/diag/history.js';
import { period, stripBars } from '../../../src/http/present/diag-strip.js';

const T = Date.parse('2026-11-24T10:00:00Z');
const H = 3_600_000;

describe('history strip bars', () => {
  it('a 5-second shutdown in 6 hours is painted above the green after it, at least 0.6 % wide', () => {
    const restart = T + 4 * H;
    const segs: Segment[] = [
      { status: 'pass', from: T, to: restart, output: 'ready: database system is ready to accept connections' },
      { status: 'warn', from: restart, to: restart + 40, output: 'stopping: received fast shutdown request' },
      { status: 'fail', from: restart + 40, to: restart + 5040, output: 'shutdown: database system is shut down' },
      { status: 'warn', from: restart + 5040, to: restart + 5054, output: 'start: starting PostgreSQL 16.4' },
      { status: 'pass', from: restart + 5054, to: T + 6 * H, output: 'ready: database system is ready to accept connections' },
    ];
    const bars = stripBars(segs, T, T + 6 * H, true);
    expect(bars.map((b) => b.status)).toEqual(['pass', 'pass', 'warn', 'warn', 'fail']);
    const fail = bars[bars.length - 1]!;
    expect(fail.width).toBeGreaterThanOrEqual(6);
    expect(fail.title).toBe('2026-11-24 14:00–14:00 UTC fail: shutdown: database system is shut down');
    // It sits where the restart happened, and the green after it starts under it (painted before it).
    const after = bars[1]!;
    expect(fail.x).toBeCloseTo(666.7, 0);
    expect(after.x).toBeLessThan(fail.x + fail.width);
  });

  it('a failure in the last seconds is drawn inside the strip, ending at its right edge', () => {
    const bars = stripBars([{ status: 'pass', from: T, to: T + 6 * H - 1000, output: null }, { status: 'fail', from: T + 6 * H - 1000, to: T + 6 * H, output: null }], T, T + 6 * H, false);
    const fail = bars.find((b) => b.status === 'fail')!;
    expect(fail.x + fail.width).toBeLessThanOrEqual(1000);
    expect(fail.width).toBeGreaterThanOrEqual(6);
  });

  it('tells the states apart by shape too: a period without a reading is a thin line, a reading a full bar', () => {
    const bars = stripBars([{ status: 'unknown', from: T, to: T + H, output: null }, { status: 'pass', from: T + H, to: T + 2 * H, output: null }, { status: 'warn', from: T + 2 * H, to: T + 3 * H, output: null }], T, T + 3 * H, false);
    const by = Object.fromEntries(bars.map((b) => [b.status, b]));
    expect(by.unknown!.height).toBeLessThan(by.pass!.height);
    expect(by.warn!.height).toBe(by.pass!.height);
    expect(by.unknown!.title).toBe('2026-11-24 10:00–11:00 UTC no reading');
    expect([by.pass!.from, by.pass!.to]).toEqual(['2026-11-24T11:00:00.000Z', '2026-11-24T12:00:00.000Z']);
  });

  it('dates a period that crosses midnight at both ends', () => {
    expect(period(Date.parse('2026-11-24T23:50:00Z'), Date.parse('2026-11-25T00:10:00Z'))).toBe('2026-11-24 23:50–2026-11-25 00:10 UTC');
  });
});
