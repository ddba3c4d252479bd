/** An ingester's note (ingest-note.ts) as the one JSON text both backends keep per ingester. */
import type { IngestNote } from '../model/ingest-note.js';

const STATES = new Set(['writing', 'paused', 'stopped']);

export function encodeIngestNote(n: IngestNote): string {
  return JSON.stringify({ ingester: n.ingester, state: n.state, since: n.since, seen: n.seen, lastError: n.lastError });
}

/** The note, or null for a text that is not one (written by another version): it is left out rather than shown wrong. */
export function decodeIngestNote(text: string): IngestNote | null {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof v !== 'object' || v === null) return null;
  const n = v as Partial<IngestNote>;
  if (typeof n.ingester !== 'string' || !STATES.has(n.state as string) || typeof n.since !== 'number' || typeof n.seen !== 'number') return null;
  const e = n.lastError;
  const lastError =
    e && typeof e === 'object' && typeof e.message === 'string' && typeof e.at === 'number'
      ? { message: e.message, at: e.at, pausedMs: typeof e.pausedMs === 'number' ? e.pausedMs : null }
      : null;
  return { ingester: n.ingester, state: n.state!, since: n.since, seen: n.seen, lastError };
}
