/**
 * The cp's own hint for a code the catalogue lacks, read from one request that
 * carried it (the error's hint, or a `hint` field logged beside the code): what
 * applies to an uncatalogued code, as on a ticket.
 */
import type { Event } from '../model/event.js';
import type { LineReads } from '../store/store.js';

export function hintIn(events: readonly Event[], code: string): string | null {
  for (const e of events) {
    if (e.code !== code) continue;
    if (e.source === 'cp' && e.err?.hint) return e.err.hint;
    if (typeof e.fields.hint === 'string' && e.fields.hint) return e.fields.hint;
  }
  for (const e of events) if (e.code === code && e.source === 'cp' && e.err?.message) return e.err.message;
  return null;
}

/** The hint of each code from its sample request, looked up in parallel (one indexed read per code). */
export async function hintsOf(store: LineReads, samples: readonly { code: string; sampleCid: string }[]): Promise<Map<string, string | null>> {
  const found = await Promise.all(samples.map(async (s) => [s.code, hintIn(await store.eventsByCid(s.sampleCid), s.code)] as const));
  return new Map(found);
}
