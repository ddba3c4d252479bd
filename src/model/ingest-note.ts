/**
 * What a long-running ingester (`ingest --follow`, the follow thread of
 * `serve --follow`) says of itself in the store it writes to, so `stats` —
 * any process, on any host — can show whether it is writing or paused, and
 * its last store error: written when it starts, pauses (when the store takes
 * the note), resumes and stops, and every half minute while it writes.
 */
export interface IngestNote {
  /** Who: the command, host and process id ("ingest --follow on db-1, pid 4242"). */
  ingester: string;
  state: 'writing' | 'paused' | 'stopped';
  /** When this state began (epoch ms). */
  since: number;
  /** When the ingester last wrote its note (epoch ms): an old one is a process that ended without saying so. */
  seen: number;
  /** The last store error it met (this run), when, and how long the pause it caused lasted once over (ms). */
  lastError: { message: string; at: number; pausedMs: number | null } | null;
}

/** How long the note of an ingester not seen since is kept. */
export const INGEST_NOTE_KEEP_MS = 7 * 86_400_000;
