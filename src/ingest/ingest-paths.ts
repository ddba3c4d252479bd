/**
 * One-shot ingest of files, directories, Docker container directories and
 * stdin: what `tellwang-diag ingest PATH…` runs. Each stream resumes at its
 * checkpoint, so ingesting the same files again stores nothing twice.
 */
import { closeSync, readSync } from 'node:fs';
import type { Source } from '../model/event.js';
import type { StreamInfo } from '../model/stream.js';
import type { Store } from '../store/store.js';
import { fingerprintBytes, FINGERPRINT_BYTES } from './readers/file-identity.js';
import { discover, type SourceSpec } from './readers/discover.js';
import { streamKey } from './readers/log-file-head.js';
import { openLogFile, sourceFiles, type SourceFile } from './readers/source-files.js';
import { JournalMarks } from './journal-marks.js';
import { DEFAULT_INGEST, StreamIngester, type IngestOptions, type StreamReport } from './stream-ingester.js';

export interface IngestReport {
  streams: StreamReport[];
  skipped: { path: string; reason: string }[];
  /** Sources read, but with a problem worth saying (an unreadable config.v2.json: no labels). */
  warnings: { path: string; message: string }[];
  events: Record<Source, number>;
  stored: number;
  unparsed: number;
  duplicates: number;
  lines: number;
  bytes: number;
  seconds: number;
}

export interface PathIngestOptions extends IngestOptions {
  /** Files will not grow: a last line without a newline is taken as complete. */
  final: boolean;
  /** Called as reading goes on; `totalBytes` when known beforehand. */
  onProgress?: (bytes: number, lines: number, totalBytes?: number) => void;
}

const READ_CHUNK = 1024 * 1024;

export async function ingestPaths(store: Store, paths: readonly string[], opts: Partial<PathIngestOptions> = {}): Promise<IngestReport> {
  const o: PathIngestOptions = { ...DEFAULT_INGEST, final: false, ...opts };
  const started = performance.now();
  const report: IngestReport = { streams: [], skipped: [], warnings: [], events: { cp: 0, container: 0, audit: 0 }, stored: 0, unparsed: 0, duplicates: 0, lines: 0, bytes: 0, seconds: 0 };
  const progress = { bytes: 0, lines: 0 };
  for (const spec of discover(paths)) {
    for (const r of await ingestSource(store, spec, o, progress)) {
      if ('reason' in r) report.skipped.push(r);
      else if ('message' in r) report.warnings.push(r);
      else report.streams.push(r);
    }
  }
  for (const s of report.streams) {
    for (const k of Object.keys(s.parsed) as Source[]) report.events[k] += s.parsed[k];
    report.stored += s.stored;
    report.unparsed += s.unparsed;
    report.duplicates += s.duplicates;
    report.lines += s.lines;
    report.bytes += s.bytes;
  }
  report.seconds = (performance.now() - started) / 1000;
  return report;
}

type SourceResult = StreamReport | { path: string; reason: string } | { path: string; message: string };

async function ingestSource(store: Store, spec: SourceSpec, o: PathIngestOptions, progress: { bytes: number; lines: number }): Promise<SourceResult[]> {
  if (spec.kind === 'stdin') return [await ingestStdin(store, o, progress)];
  const { files, skipped, warnings } = sourceFiles(spec, o.final);
  const out: SourceResult[] = [...skipped, ...warnings];
  for (const file of files) out.push(await ingestFile(store, file, o, progress));
  return out;
}

async function ingestFile(store: Store, file: SourceFile, o: PathIngestOptions, progress: { bytes: number; lines: number }): Promise<SourceResult> {
  const found = await openLogFile(store, file.path, file.final);
  if ('reason' in found) return { path: file.path, reason: found.reason };
  const { fd, head, key } = found;
  try {
    const st = head.stat;
    const info: StreamInfo = { key, kind: file.kind, path: file.path, container: file.container, source: file.source };
    const ing = await StreamIngester.open(store, info, o, { dev: st.dev, ino: st.ino, size: st.size });
    const buf = Buffer.allocUnsafe(READ_CHUNK);
    let pos = ing.offset;
    for (;;) {
      const n = readSync(fd, buf, 0, READ_CHUNK, pos);
      if (n === 0) break;
      pos += n;
      const before = ing.report.lines;
      await ing.push(buf.subarray(0, n));
      progress.bytes += n;
      progress.lines += ing.report.lines - before;
      o.onProgress?.(progress.bytes, progress.lines);
    }
    ing.setFileState({ dev: st.dev, ino: st.ino, size: Math.max(st.size, pos) });
    await ing.flush(file.final);
    return ing.report;
  } finally {
    closeSync(fd);
  }
}

const LIVE_COMMIT_MS = 1000;
const QUIET = Symbol('quiet');

/** Resolves after `ms` unless something else wins the race first (the timer does not hold the process open). */
function quiet(ms: number): Promise<typeof QUIET> {
  return new Promise((resolve) => setTimeout(resolve, ms, QUIET).unref());
}

async function ingestStdin(store: Store, o: PathIngestOptions, progress: { bytes: number; lines: number }): Promise<SourceResult> {
  const chunks: Buffer[] = [];
  let head = Buffer.alloc(0);
  let ing: StreamIngester | null = null;
  let skip = 0;
  // journald entries a restarted `journalctl -f` prints again are dropped (journal-marks.ts).
  const marks = new JournalMarks(store);
  // A live pipe (`journalctl -o json -f | tellwang-diag ingest -`) commits what it has at least every second.
  const it = (process.stdin as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  let next = it.next();
  let committedLines = 0;
  let lastCommit = performance.now();
  const commitLive = async (i: StreamIngester) => {
    await i.flush(false);
    committedLines = i.report.lines;
    lastCommit = performance.now();
  };
  for (;;) {
    const uncommitted = ing !== null && ing.report.lines > committedLines;
    const r = uncommitted ? await Promise.race([next, quiet(LIVE_COMMIT_MS)]) : await next;
    if (r === QUIET) {
      await commitLive(ing!);
      continue;
    }
    if (r.done) break;
    next = it.next();
    const chunk = r.value;
    if (ing && ing.report.lines > committedLines && performance.now() - lastCommit >= LIVE_COMMIT_MS) await commitLive(ing);
    if (!ing) {
      chunks.push(chunk);
      head = Buffer.concat(chunks);
      const key = fingerprintBytes(head.subarray(0, FINGERPRINT_BYTES));
      if (!key) continue;
      ing = await StreamIngester.open(store, { key, kind: 'stdin', path: null, container: null, source: null }, o, undefined, marks);
      skip = ing.offset;
      chunks.length = 0;
      await feed(ing, head);
    } else {
      await feed(ing, chunk);
    }
  }
  if (!ing) {
    if (!head.length) return { path: '-', reason: 'empty' };
    ing = await StreamIngester.open(store, { key: streamKey(head, true)!, kind: 'stdin', path: null, container: null, source: null }, o, undefined, marks);
    skip = ing.offset;
    await feed(ing, head);
  }
  await ing.flush(true);
  return ing.report;

  async function feed(i: StreamIngester, b: Buffer): Promise<void> {
    // A stream seen before resumes where it stopped: the bytes before its checkpoint are already stored.
    if (skip > 0) {
      const drop = Math.min(skip, b.length);
      skip -= drop;
      b = b.subarray(drop);
      if (!b.length) return;
    }
    await marks.prepare(b);
    await i.push(b);
    progress.bytes += b.length;
    o.onProgress?.(progress.bytes, progress.lines);
  }
}
