/**
 * "Answer no sooner than": a response whose bytes are held back until a
 * deadline, so the time it takes says nothing about which path made it.
 *
 * The hold is on `res.end`, the last step of every response: whatever ran
 * before it (the lookup, the check, rendering the body or the error envelope,
 * setting headers) ran on the clock, and only writing waits. The wait is
 * exact rather than jittered: a timer for most of it, then the event loop
 * polled (setImmediate) until the deadline, so a timer's millisecond
 * granularity does not make one path's answers land later than the other's.
 */
import type { Response } from 'express';

/** The last stretch of a wait is polled, not timed: timers fire up to a millisecond late. */
const POLL_MS = 2;

/** Resolves at `deadline` (performance.now() time), not before, and within a fraction of a millisecond after. */
export async function until(deadline: number): Promise<void> {
  const left = deadline - performance.now();
  if (left > POLL_MS) await new Promise((r) => setTimeout(r, left - POLL_MS));
  while (performance.now() < deadline) await new Promise((r) => setImmediate(r));
}

/** Holds the response's end (headers and body) until `floorMs` after `started`. */
export function answerNoSooner(res: Response, started: number, floorMs: number): void {
  const deadline = started + floorMs;
  const end = res.end.bind(res) as (...args: unknown[]) => Response;
  res.end = ((...args: unknown[]) => {
    void until(deadline).then(() => end(...args));
    return res;
  }) as Response['end'];
}
