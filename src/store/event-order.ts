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
