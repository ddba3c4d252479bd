/** The ingesters' notes: one per ingester, replaced by its next, newest seen first, kept a week, readable from another connection. */
import { describe, expect, it } from 'vitest';
import { INGEST_NOTE_KEEP_MS, type IngestNote } from '../../../src/model/ingest-note.js';
import { T0 } from '../../fixtures/events.js';
import type { MakeStore } from '../contract.js';
import { useStore } from './harness.js';

const error = "writing a batch: cannot reach PostgreSQL at db-1:5432/diag (57P01: terminating connection due to administrator command)";

function note(over: Partial<IngestNote>): IngestNote {
  return { ingester: 'ingest --follow on host-a, pid 41', state: 'writing', since: T0, seen: T0, lastError: null, ...over };
}

export function ingestNotesContract(make: MakeStore): void {
  describe('ingesters\' notes', () => {
    const cur = useStore(make);

    it('keeps the newest note of each ingester, most recently seen first, and another connection reads them', async () => {
      expect(await cur.store.ingestNotes()).toEqual([]);
      await cur.store.noteIngest(note({}));
      await cur.store.noteIngest(note({ ingester: 'serve --follow on host-b, pid 7', seen: T0 + 5 }));
      const paused = note({ state: 'paused', since: T0 + 10, seen: T0 + 10, lastError: { message: error, at: T0 + 10, pausedMs: null } });
      await cur.store.noteIngest(paused);
      expect(await cur.store.ingestNotes()).toEqual([paused, note({ ingester: 'serve --follow on host-b, pid 7', seen: T0 + 5 })]);
      const resumed = note({ since: T0 + 4210, seen: T0 + 4210, lastError: { message: error, at: T0 + 10, pausedMs: 4200 } });
      await cur.store.noteIngest(resumed);
      const other = await cur.reopen();
      expect((await other.ingestNotes())[0]).toEqual(resumed);
    });

    it('drops the notes of ingesters not seen for a week', async () => {
      await cur.store.noteIngest(note({ ingester: 'ingest --follow on gone, pid 1', seen: T0 }));
      await cur.store.noteIngest(note({ seen: T0 + INGEST_NOTE_KEEP_MS + 1 }));
      expect((await cur.store.ingestNotes()).map((n) => n.ingester)).toEqual(['ingest --follow on host-a, pid 41']);
    });
  });
}
