/** The newest events of blocks read newest first: shared by the stores that keep blocks (container windows and tails). */
import type { Event } from '../model/event.js';
import { compareEvents } from './event-order.js';

/**
 * Gathers the newest `limit` events of rows offered newest first. `bound` is
 * the latest time any event of a row (and of every row after it) can have:
 * once `limit` events later than that are held, no further row can matter.
 * A store that reads rows in pages offers them one by one until `offer` says done.
 */
export class NewestEvents<R extends { bound: number }> {
  private readonly n: number;
  private out: Event[] = [];

  constructor(
    limit: number,
    private readonly eventsOf: (row: R) => Event[],
  ) {
    this.n = Math.max(0, Math.floor(limit));
  }

  /** Takes one row's events; false once no later row can matter (that row included). */
  offer(row: R): boolean {
    if (this.n === 0 || (this.out.length >= this.n && row.bound < this.out[0]!.time)) return false;
    const got = this.eventsOf(row);
    if (!got.length) return true;
    this.out.push(...got);
    this.out.sort(compareEvents);
    if (this.out.length > this.n) this.out = this.out.slice(this.out.length - this.n);
    return true;
  }

  /** The events held, in time order. */
  events(): Event[] {
    return this.out;
  }
}

/** The newest `limit` events of rows read newest first, in time order. */
export function newestEvents<R extends { bound: number }>(rows: Iterable<R>, limit: number, eventsOf: (row: R) => Event[]): Event[] {
  const acc = new NewestEvents(limit, eventsOf);
  for (const row of rows) if (!acc.offer(row)) break;
  return acc.events();
}
