/**
 * Copies one store into another through the Store interface alone, so any
 * store goes into any other (SQLite into PostgreSQL is the move that
 * matters). Order: the inventory (so a key's org is named as lines are
 * written), operators and tokens as stored (hashes, times,
 * revocations), every stream's lines, then the health history, the lookup
 * audit and the Idempotency-Keys of pushed batches.
 *
 * A stream's lines go through the target's own write path (writeBatch), a
 * bounded page per transaction with the stream's checkpoint: request
 * summaries, audit and lifecycle rows, counters and the cid index are derived
 * there as at ingest, and the target's redactor applies. A page's checkpoint
 * is the offset of the next line not written, always short of the source's
 * own; the last page carries the source's checkpoint whole (line, tail,
 * counters of invalid and truncated lines). So a copy stopped anywhere (Ctrl-C,
 * kill -9) and run again resumes each stream at the target's checkpoint, a
 * stream whose checkpoint has reached the source's is done, and the write
 * rules drop any line at or before a checkpoint: nothing is stored twice.
 * Health records and lookups are written in pages of whole times, each in one
 * transaction, and resume after the target's newest time: a target that has
 * recorded its own since (served, then copied into again to catch up) gets
 * only the source's records newer than those.
 *
 * Pushed batches' Idempotency-Keys come last, by key, a key already there
 * kept. Not copied: sessions (a sign-in belongs to the console it was made
 * on; operators sign in again) and sign-in throttling counts.
 */
import type { ContainerRef } from '../model/event.js';
import type { Checkpoint, StreamInfo, StreamState } from '../model/stream.js';
import { CopyRefused } from './copy-refused.js';
import type { Store } from './store.js';

/** Lines per transaction when the caller sets none. */
export const COPY_PAGE_LINES = 2000;
/** Health records, lookups or Idempotency-Keys per transaction (a page of records may run over to keep one time's together). */
const RECORD_PAGE = 5000;

export interface CopyProgress {
  /** Lines written by this run. */
  lines: number;
  /** Bytes of the source's streams that the target's checkpoints cover, of `totalBytes`. */
  bytes: number;
  totalBytes: number;
}

export interface CopyOptions {
  pageLines?: number;
  onProgress?: (p: CopyProgress) => void;
  /** Stops between two transactions (the copy is then incomplete and resumes when run again). */
  signal?: AbortSignal;
}

export interface CopyReport {
  complete: boolean;
  streams: { total: number; copied: number; alreadyCopied: number };
  events: number;
  unparsed: number;
  inventory: { orgs: number; woks: number; keys: number };
  operators: { copied: number; kept: number };
  tokens: { copied: number; kept: number };
  checks: number;
  lookups: number;
  idempotencyKeys: number;
}

/** Refuses a target holding lines the source does not: a stream the source lacks, or one read further than the source's. */
async function checkTarget(to: Store, sources: Map<string, StreamState>): Promise<void> {
  for (const t of await to.streams()) {
    const s = sources.get(t.stream);
    if (!s || t.offset > s.offset) {
      const what = t.path ?? `${t.kind} stream ${t.stream}`;
      throw new CopyRefused(`the target holds data of its own (${s ? 'read further than the source:' : 'not in the source:'} ${what}); copy into an empty store`);
    }
  }
}

function streamInfo(s: StreamState): StreamInfo {
  // The target's stream row keeps only the container's id; each event carries its whole ContainerRef.
  const container: ContainerRef | null = s.containerId ? { id: s.containerId, name: null, wok: null, role: null, image: null } : null;
  return { key: s.stream, kind: s.kind, path: s.path, container, source: s.source };
}

function finalCheckpoint(s: StreamState): Checkpoint {
  return {
    stream: s.stream,
    offset: s.offset,
    line: s.line,
    dev: s.dev,
    ino: s.ino,
    size: s.size,
    lastTime: s.lastTime,
    unparsed: s.unparsed,
    invalidUtf8: s.invalidUtf8,
    truncated: s.truncated,
    tail: s.tail ?? null,
  };
}

export async function copyStore(from: Store, to: Store, o: CopyOptions = {}): Promise<CopyReport> {
  const pageLines = Math.max(1, o.pageLines ?? COPY_PAGE_LINES);
  const streams = await from.streams();
  const sources = new Map(streams.map((s) => [s.stream, s]));
  await checkTarget(to, sources);
  const report: CopyReport = {
    complete: false,
    streams: { total: streams.length, copied: 0, alreadyCopied: 0 },
    events: 0,
    unparsed: 0,
    inventory: await to.putInventory(await from.inventory()),
    operators: { copied: 0, kept: 0 },
    tokens: { copied: 0, kept: 0 },
    checks: 0,
    lookups: 0,
    idempotencyKeys: 0,
  };
  for (const { id: _id, ...op } of await from.listOperators()) report.operators[(await to.importOperator(op)) ? 'copied' : 'kept']++;
  for (const { id: _id, ...t } of await from.listTokens()) report.tokens[(await to.importToken(t)) ? 'copied' : 'kept']++;

  const totalBytes = streams.reduce((n, s) => n + s.offset, 0);
  const progress = { lines: 0, bytes: 0, totalBytes };
  const stopped = () => o.signal?.aborted === true;
  for (const s of streams) {
    if (stopped()) return report;
    const have = await to.checkpoint(s.stream);
    if (have && have.offset >= s.offset) {
      report.streams.alreadyCopied++;
      progress.bytes += s.offset;
      continue;
    }
    const info = streamInfo(s);
    let at = have?.offset ?? 0;
    progress.bytes += at;
    for (;;) {
      const page = await from.streamLines(s.stream, at, pageLines);
      const { events, unparsed } = page;
      let next = page.next;
      const last = next === null || next >= s.offset;
      // The lines at or past the source's checkpoint (stored ahead of an unfinished Docker line; a few) go with its checkpoint.
      while (last && next !== null) {
        const more = await from.streamLines(s.stream, next, pageLines);
        events.push(...more.events);
        unparsed.push(...more.unparsed);
        next = more.next;
      }
      const checkpoint: Checkpoint = last
        ? finalCheckpoint(s)
        : { stream: s.stream, offset: next!, line: 0, dev: s.dev, ino: s.ino, size: s.size, lastTime: null, unparsed: 0, invalidUtf8: 0, truncated: 0, tail: null };
      const r = await to.writeBatch({ streams: [{ stream: info, events, unparsed, checkpoint }] });
      report.events += r.events;
      report.unparsed += r.unparsed;
      progress.lines += r.events + r.unparsed;
      progress.bytes += checkpoint.offset - at;
      o.onProgress?.(progress);
      if (last) break;
      at = next!;
      // A store that answers synchronously (SQLite) would otherwise hold the event loop, and a Ctrl-C with it, to the end.
      await new Promise((resolve) => setImmediate(resolve));
      if (stopped()) return report;
    }
    report.streams.copied++;
  }

  const marks = await to.newestRecords();
  report.checks = await copyPages(marks.checks ?? Number.MIN_SAFE_INTEGER, (a) => from.checksAfter(a, RECORD_PAGE), async (page) => {
    await to.recordChecks(page);
    return page.length;
  }, (r) => r.time, stopped);
  report.lookups = await copyPages(marks.lookups ?? Number.MIN_SAFE_INTEGER, (a) => from.lookupsAfter(a, RECORD_PAGE), async (page) => {
    await to.importLookups(page);
    return page.length;
  }, (e) => e.time, stopped);
  report.idempotencyKeys = await copyPages('', (a) => from.idempotencyAfter(a, RECORD_PAGE), (page) => to.importIdempotency(page), (e) => e.key, stopped);
  report.complete = !stopped();
  return report;
}

/** Reads pages after a cursor (a time, a key) until one comes back empty or the copy is stopped, writing each; answers how many were written. */
async function copyPages<T, K>(
  start: K,
  read: (after: K) => Promise<T[]>,
  write: (page: T[]) => Promise<number>,
  cursor: (last: T) => K,
  stopped: () => boolean,
): Promise<number> {
  let written = 0;
  for (let after = start; !stopped(); ) {
    const page = await read(after);
    if (!page.length) break;
    written += await write(page);
    after = cursor(page[page.length - 1]!);
  }
  return written;
}
