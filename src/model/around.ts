import type { Event } from './event.js';

/** The lines of one stream either side of an event, in offset order. */
export interface Around {
  event: Event;
  /** Up to n lines just before the event in the same stream (file or container). */
  before: Event[];
  /** Up to n lines just after it. */
  after: Event[];
}

/** The most lines an around read returns on either side. */
export const AROUND_MAX = 500;

/** Splits an event id into its stream key and byte offset, or null when it is not one. */
export function parseEventId(id: string): { streamKey: string; offset: number } | null {
  const at = id.lastIndexOf(':');
  if (at <= 0) return null;
  const tail = id.slice(at + 1);
  if (!/^\d{1,15}$/.test(tail)) return null;
  return { streamKey: id.slice(0, at), offset: Number(tail) };
}
