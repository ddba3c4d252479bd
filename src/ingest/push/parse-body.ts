/**
 * A pushed body (POST /v1/ingest) → one batch: its lines through the same
 * splitter and parser as files (redaction included). Pure: bytes in, events
 * and unparsed lines out, so it runs on whichever thread writes the batch.
 */
import type { Event, Source, Unparsed } from '../../model/event.js';
import type { StreamInfo } from '../../model/stream.js';
import type { Redactor } from '../../redact/redactor.js';
import { DEFAULT_PG_PREFIX, type PgLinePrefix } from '../parsers/pg-prefix.js';
import { StreamParser } from '../parsers/stream-parser.js';
import { LineSplitter } from '../readers/line-splitter.js';
import { DEFAULT_INGEST, type LineGate } from '../stream-ingester.js';
import type { StreamBatch } from '../../store/store.js';

export interface ParsedBody {
  events: Event[];
  unparsed: Unparsed[];
  lines: number;
  /** Lines the gate turned away (journald entries stored before). */
  skipped: number;
  /** What the gate commits with the batch (journald marks). */
  gated: StreamBatch[];
  checkpoint: { stream: string; offset: number; line: number; dev: null; ino: null; size: number; lastTime: number | null; unparsed: number; invalidUtf8: number; truncated: number };
}

/**
 * The body's lines through the same splitter and parser as files (redaction included); the body is complete, so its
 * last line needs no newline. `pg`: the log_line_prefix of PostgreSQL text lines in it.
 */
export function parseBody(info: StreamInfo, body: Buffer, kind: Source | 'auto', now: number, redactor: Redactor, gate: LineGate | null = null, pg: PgLinePrefix = DEFAULT_PG_PREFIX): ParsedBody {
  const parser = new StreamParser(info, DEFAULT_INGEST.maxLine, pg, redactor);
  const splitter = new LineSplitter(0, DEFAULT_INGEST.maxLine);
  let lines = 0;
  let invalid = 0;
  let truncated = 0;
  let skipped = 0;
  const sink = (l: { text: string; offset: number; invalidUtf8: boolean; truncatedBytes: number | null }) => {
    lines++;
    if (l.invalidUtf8) invalid++;
    if (l.truncatedBytes !== null) truncated++;
    else if (gate && !gate.admit(l.text, l.offset)) return void skipped++;
    parser.push(l.text, l.offset, lines, { invalidUtf8: l.invalidUtf8, truncated: l.truncatedBytes !== null, bytes: l.truncatedBytes ?? undefined });
  };
  splitter.push(body, sink);
  splitter.end(sink);
  parser.finish();
  const taken = parser.take();
  let events = taken.events;
  const unparsed = taken.unparsed;
  if (kind !== 'auto') {
    const keep: Event[] = [];
    for (const e of events) {
      if (e.source === kind) keep.push(e);
      else {
        const offset = Number(e.id.slice(e.id.lastIndexOf(':') + 1));
        unparsed.push({ stream: info.key, path: null, offset, line: 0, reason: `a ${e.source} line, but the batch was sent as kind=${kind}`, head: redactor.text(e.message.slice(0, 240)), time: now });
      }
    }
    events = keep;
    unparsed.sort((a, b) => a.offset - b.offset);
  }
  let lastTime: number | null = null;
  for (const e of events) if (lastTime === null || e.time > lastTime) lastTime = e.time;
  return {
    events,
    unparsed,
    lines,
    skipped,
    gated: gate ? gate.batches(body.length) : [],
    checkpoint: { stream: info.key, offset: body.length, line: lines, dev: null, ino: null, size: body.length, lastTime, unparsed: unparsed.length, invalidUtf8: invalid, truncated },
  };
}
