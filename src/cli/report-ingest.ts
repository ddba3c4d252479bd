/** What `ingest` prints: counts per source, unparsed, skipped files, lines held back, speed. */
import type { IngestReport } from '../ingest/ingest-paths.js';
import { terminalSafe } from './terminal-safe.js';

export function renderIngestReport(r: IngestReport): string {
  const out: string[] = [];
  const rate = r.seconds > 0 ? Math.round(r.lines / r.seconds) : r.lines;
  out.push(`read ${r.lines} lines (${(r.bytes / 1048576).toFixed(1)} MiB) from ${r.streams.length} streams in ${r.seconds.toFixed(2)} s — ${rate} lines/s`);
  out.push(`  cp         ${r.events.cp}`);
  out.push(`  container  ${r.events.container}`);
  out.push(`  audit      ${r.events.audit}`);
  out.push(`  unparsed   ${r.unparsed}${r.unparsed ? '   (see `tellwang-diag unparsed` or /unparsed)' : ''}`);
  out.push(`stored ${r.stored} new events${r.duplicates ? `; ${r.duplicates} already stored, skipped` : ''}`);
  const held = r.streams.filter((s) => s.pendingBytes > 0);
  for (const s of held) {
    out.push(terminalSafe(`held back ${s.pendingBytes} bytes at the end of ${s.path ?? s.stream}: a line without its newline yet (pass --final if the file is complete)`));
  }
  for (const s of r.streams.filter((x) => x.invalidUtf8 || x.truncated)) {
    out.push(terminalSafe(`${s.path ?? s.stream}: ${s.invalidUtf8} lines with invalid UTF-8 (replaced), ${s.truncated} lines over the length cap (kept truncated)`));
  }
  for (const s of r.skipped) out.push(terminalSafe(`skipped ${s.path}: ${s.reason}`));
  for (const w of r.warnings) out.push(terminalSafe(`warning ${w.path}: ${w.message}`));
  return out.join('\n') + '\n';
}

export function ingestReportJson(r: IngestReport) {
  return {
    lines: r.lines,
    bytes: r.bytes,
    seconds: Number(r.seconds.toFixed(3)),
    lines_per_second: r.seconds > 0 ? Math.round(r.lines / r.seconds) : null,
    events: r.events,
    stored: r.stored,
    duplicates: r.duplicates,
    unparsed: r.unparsed,
    streams: r.streams.map((s) => ({ stream: s.stream, path: s.path, lines: s.lines, stored: s.stored, unparsed: s.unparsed, pending_bytes: s.pendingBytes })),
    skipped: r.skipped,
    warnings: r.warnings,
  };
}
