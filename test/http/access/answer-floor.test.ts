/**
 * The wait behind the customer ticket's floor: never before its deadline
 * (a bare setTimeout of a fractional delay can fire up to a millisecond
 * early, as the event loop's clock counts whole milliseconds), and not long
 * after it when the machine lets it run.
 */
import { describe, expect, it } from 'vitest';
import { until } from '../../../src/http/routes/answer-floor.js';
import { median } from '../../fixtures/timing-stats.js';

describe('until', () => {
  it('never resolves before its deadline; most waits end within a fraction of a millisecond of it', async () => {
    const late: number[] = [];
    for (let i = 0; i < 150; i++) {
      const deadline = performance.now() + Math.random() * 6;
      await until(deadline);
      const now = performance.now();
      expect(now).toBeGreaterThanOrEqual(deadline);
      late.push(now - deadline);
    }
    expect(median(late)).toBeLessThan(0.5);
  });

  it('a deadline already past resolves at once', async () => {
    const t = performance.now();
    await until(t - 10);
    expect(performance.now() - t).toBeLessThan(50);
  });
});
