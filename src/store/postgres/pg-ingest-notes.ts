/** The ingesters' notes (ingest-note.ts) on PostgreSQL: one row per ingester, the note as JSON. */
import { INGEST_NOTE_KEEP_MS, type IngestNote } from '../../model/ingest-note.js';
import { decodeIngestNote, encodeIngestNote } from '../ingest-note-codec.js';
import type { Query } from './pg-event-reads.js';

export async function pgNoteIngest(q: Query, n: IngestNote): Promise<void> {
  await q(
    `WITH up AS (
       INSERT INTO ingesters (name, note, seen) VALUES ($1, $2, $3)
       ON CONFLICT (name) DO UPDATE SET note = EXCLUDED.note, seen = EXCLUDED.seen RETURNING 1
     )
     DELETE FROM ingesters WHERE seen < $4`,
    [n.ingester, encodeIngestNote(n), n.seen, n.seen - INGEST_NOTE_KEEP_MS],
  );
}

export async function pgIngestNotes(q: Query): Promise<IngestNote[]> {
  const rows = await q<{ note: string }>('SELECT note FROM ingesters ORDER BY seen DESC, name');
  return rows.map((r) => decodeIngestNote(r.note)).filter((n): n is IngestNote => n !== null);
}
