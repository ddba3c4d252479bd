/**
 * One page of a stream's stored lines for StoreTransfer.streamLines, the same
 * for both stores: the events and unparsed lines each read in offset order
 * (at least limit + 1 of each when there are that many), merged, cut after
 * `limit`, with the offset where the rest begin.
 */
import type { Event, Unparsed } from '../model/event.js';
import { offsetOf } from './event-codec.js';
import type { StreamLines } from './store.js';

export function mergeLines(events: readonly Event[], unparsed: readonly Unparsed[], limit: number): StreamLines {
  const out: StreamLines = { events: [], unparsed: [], next: null };
  let i = 0;
  let j = 0;
  for (let taken = 0; i < events.length || j < unparsed.length; taken++) {
    const e = i < events.length ? offsetOf(events[i]!.id) : Number.POSITIVE_INFINITY;
    const u = j < unparsed.length ? unparsed[j]!.offset : Number.POSITIVE_INFINITY;
    if (taken === limit) {
      out.next = Math.min(e, u);
      break;
    }
    if (e <= u) out.events.push(events[i++]!);
    else out.unparsed.push(unparsed[j++]!);
  }
  return out;
}
