/** The order events are shown in, and the newest of them gathered from blocks read newest first (container windows and tails). */
import type { Event, Source } from '../model/event.js';

const SOURCE_ORDER: Record<Source, number> = { cp: 0, container: 1, audit: 2 };

function position(id: string): [string, number] {
  const i = id.lastIndexOf(':');
  return [id.slice(0, i), Number(id.slice(i + 1))];
}

/** Time order; ties broken so a request's own cp lines come first, then by position in the stream. */
export function compareEvents(a: Event, b: Event): number {
  const d = a.time - b.time || SOURCE_ORDER[a.source] - SOURCE_ORDER[b.source];
  if (d) return d;
  const [ka, oa] = position(a.id);
  const [kb, ob] = position(b.id);
  return ka < kb ? -1 : ka > kb ? 1 : oa - ob;
}

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
