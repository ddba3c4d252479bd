/**
 * A pushed body (POST /v1/ingest) → one batch: its lines through the same
 * stream reader as files (redaction included). Pure: bytes in, events and
 * unparsed lines out, so it runs on whichever thread writes the batch.
 */
import type { Event, Source, Unparsed } from '../../model/event.js';
import type { Checkpoint, StreamInfo } from '../../model/stream.js';
import type { Redactor } from '../../redact/redactor.js';
import { DEFAULT_PG_PREFIX, type PgLinePrefix } from '../parsers/pg-prefix.js';
import { DEFAULT_INGEST } from '../stream-ingester.js';
import { StreamReader, type LineGate } from '../stream-reader.js';
import type { StreamBatch } from '../../store/store.js';

export interface ParsedBody {
  events: Event[];
  unparsed: Unparsed[];
  lines: number;
  /** Lines the gate turned away (journald entries stored before). */
  skipped: number;
  /** What the gate commits with the batch (journald marks). */
  gated: StreamBatch[];
  checkpoint: Checkpoint;
}

/**
 * The body's lines through the same reader as files (redaction included); the body is complete, so its last line
 * needs no newline. `kind` other than 'auto': lines of other sources become unparsed lines. `pg`: the
 * log_line_prefix of PostgreSQL text lines in it.
 */
export function parseBody(info: StreamInfo, body: Buffer, kind: Source | 'auto', now: number, redactor: Redactor, gate: LineGate | null = null, pg: PgLinePrefix = DEFAULT_PG_PREFIX): ParsedBody {
  const reader = new StreamReader(info, { maxLine: DEFAULT_INGEST.maxLine, redactor, pg, gate, tail: false, only: kind === 'auto' ? null : { source: kind, at: now } });
  reader.push(body);
  reader.end();
  const t = reader.take({ dev: null, ino: null, size: body.length });
  return { events: t.events, unparsed: t.unparsed, lines: t.counts.lines, skipped: t.counts.skipped, gated: t.gated, checkpoint: t.checkpoint };
}
