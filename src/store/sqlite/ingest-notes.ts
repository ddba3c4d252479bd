/** The ingesters' notes (ingest-note.ts) on SQLite: one row per ingester, the note as JSON. */
import { INGEST_NOTE_KEEP_MS, type IngestNote } from '../../model/ingest-note.js';
import { decodeIngestNote, encodeIngestNote } from '../ingest-note-codec.js';
import type { Statements } from './statements.js';

export class IngestNoteTable {
  constructor(private readonly st: Statements) {}

  noteIngest(n: IngestNote): void {
    this.st
      .stmt('INSERT INTO ingesters (name, note, seen) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET note = excluded.note, seen = excluded.seen')
      .run(n.ingester, encodeIngestNote(n), n.seen);
    this.st.stmt('DELETE FROM ingesters WHERE seen < ?').run(n.seen - INGEST_NOTE_KEEP_MS);
  }

  ingestNotes(): IngestNote[] {
    let rows: { note: string }[];
    try {
      rows = this.st.stmt('SELECT note FROM ingesters ORDER BY seen DESC, name').all() as { note: string }[];
    } catch (e) {
      // A file of an older schema opened read-only (stats) has no table yet: no notes.
      if (/no such table/.test((e as Error).message)) return [];
      throw e;
    }
    return rows.map((r) => decodeIngestNote(r.note)).filter((n): n is IngestNote => n !== null);
  }
}
