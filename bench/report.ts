/** The bench's figures as one table, each next to its target with ✔ or ✘. */
import type { AroundBenchResult } from './around.js';
import type { DiagBenchResult } from './diag.js';
import type { FloorResult } from './floor.js';
import type { LnavOpenResult } from './lnav-peer.js';
import type { GrepResult, LookupResult, SegmentStats } from './lookups.js';
import type { SearchBenchResult } from './search-bench.js';
import { LINEAR_EXPONENT, type RedactCase } from './redact-bench.js';
import type { IncidentsBench } from './incidents.js';
import type { PgBenchResult } from './pg-lookups.js';
import type { ConsolesResult, ConsolesRun } from './pg-consoles.js';

export interface Target {
  name: string;
  measured: number;
  unit: string;
  /** The bound, and which side of it passes. */
  target: number;
  atMost: boolean;
  met: boolean;
  note?: string;
}

export interface BenchResult {
  machine: { cpus: number; model: string; node: string; platform: string; date: string; /** 1-minute load average at the start and at the end: other work on the machine skews the figures. */ load: [number, number] };
  corpus: { dir: string | null; lines: number; bytes: number; files: number; requests: number; generateSeconds: number };
  baseline: { runs: { lines: number; bytes: number; seconds: number }[]; linesPerSecond: number; mibPerSecond: number };
  ingest: {
    lines: number;
    bytes: number;
    stored: number;
    unparsed: number;
    wallSeconds: number;
    cliSeconds: number;
    linesPerSecond: number;
    mibPerSecond: number;
    cliLinesPerSecond: number;
    peakRssBytes: number | null;
    peakRssMethod: string;
    /** CPU seconds of the ingest process, and of every other process on the machine meanwhile. */
    cpuSeconds: number | null;
    otherCpuSeconds: number | null;
    /** [seconds, RSS bytes], about one per second. */
    rss: [number, number][];
  };
  ratio: number;
  /**
   * lnav opening the same files (lnav-peer.ts), with `ratio` our ingest's wall
   * time over lnav's; { installed: false } when lnav is not on PATH, null
   * with --no-lnav.
   */
  lnav?: (LnavOpenResult & { ratio: number }) | { installed: false; hint: string } | null;
  /** The same corpus ingested into PostgreSQL (--pg URL), that database's size and ticket lookups, or null. */
  postgres?: PgBenchResult | null;
  /** One `serve --follow` console against two on the same paths, into PostgreSQL (pg-consoles.ts), or null. */
  consoles?: ConsolesResult | null;
  /** The ingest floor (floor.ts) and its ratio to the baseline: an upper bound on `ratio`. */
  floor: FloorResult & { ratio: number };
  database: { fileBytes: number; walBytes: number; rawBytes: number; ratio: number; bytesPerLine: number };
  segments: SegmentStats | null;
  lookup: { inProcess: LookupResult; http: (LookupResult & { statuses: Record<number, number>; concurrency: number; servePeakRssBytes: number | null }) | null; grep: GrepResult | null };
  diag: DiagBenchResult[] | null;
  redaction: RedactCase[];
  around?: AroundBenchResult;
  targets: Target[];
  /** /v1/incidents?window=24h (bench/incidents.ts). */
  incidents?: IncidentsBench;
  search: SearchBenchResult;
}

export const MIB = 1024 * 1024;

export function target(name: string, measured: number, unit: string, bound: number, atMost: boolean, note?: string): Target {
  return { name, measured, unit, target: bound, atMost, met: Number.isFinite(measured) && (atMost ? measured <= bound : measured >= bound), ...(note ? { note } : {}) };
}

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const ms = (n: number) => (n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2)) + ' ms';
const mib = (n: number) => `${(n / MIB).toFixed(1)} MiB`;

export function renderTable(r: BenchResult): string {
  const rows: [string, string, string][] = [];
  const mark = (name: string) => {
    const t = r.targets.find((x) => x.name === name);
    if (!t) return '';
    const bound = t.unit === '×' ? `${t.target}×` : t.unit === 'k' ? `${t.target}` : `${t.target} ${t.unit}`;
    return `${t.met ? '✔' : '✘'} ${t.unit === 'k' ? 'k ' : ''}${t.atMost ? '≤' : '≥'} ${bound}${t.note ? ` ${t.note}` : ''}`;
  };
  const row = (label: string, value: string, tname = '') => rows.push([label, value, tname ? mark(tname) : '']);
  const head = (label: string) => rows.push([label, '', '']);

  head('ingest');
  row('  ours (CLI child, wall time)', `${int(r.ingest.linesPerSecond)} lines/s  ${(r.ingest.mibPerSecond).toFixed(1)} MiB/s  (${r.ingest.wallSeconds.toFixed(2)} s)`);
  row('  ours (as the CLI reports it)', `${int(r.ingest.cliLinesPerSecond)} lines/s  (${r.ingest.cliSeconds.toFixed(2)} s, without start-up and close)`);
  row('  baseline (1 thread, split + JSON.parse)', `${int(r.baseline.linesPerSecond)} lines/s  ${r.baseline.mibPerSecond.toFixed(1)} MiB/s  (best of ${r.baseline.runs.map((x) => x.seconds.toFixed(2) + ' s').join(', ')})`);
  row('  ours / baseline', `${r.ratio.toFixed(2)}×`, 'ingest ratio');
  row(
    `  floor (parse + secret check, ${r.floor.threads} threads, no store)`,
    `${int(r.floor.linesPerSecond)} lines/s  (${r.floor.seconds.toFixed(2)} s) = ${r.floor.ratio.toFixed(2)}× the baseline: the most a parse-every-line ingest can reach here`,
  );
  if (r.ingest.cpuSeconds !== null) {
    const avail = r.ingest.wallSeconds * r.machine.cpus;
    const other = r.ingest.otherCpuSeconds;
    row(
      '  CPU used during the ingest',
      `ours ${r.ingest.cpuSeconds.toFixed(1)} s (${((100 * r.ingest.cpuSeconds) / avail).toFixed(0)}% of ${r.machine.cpus} CPUs)` +
        (other === null ? '' : `, other processes ${other.toFixed(1)} s (${((100 * other) / avail).toFixed(0)}%)${other / avail > 0.1 ? ' — the machine was shared: speed is understated' : ''}`),
    );
  }
  lnavRows(r, row);
  row('  stored events / unparsed', `${int(r.ingest.stored)} / ${int(r.ingest.unparsed)}`);
  row('  peak RSS of the ingest process', r.ingest.peakRssBytes === null ? 'n/a' : `${mib(r.ingest.peakRssBytes)}  (${r.ingest.peakRssMethod})`, 'peak RSS');
  const p = r.postgres;
  if (p) {
    const cpu = p.cpuSeconds === null ? '' : `; CPU: ingest ${p.cpuSeconds.toFixed(1)} s${p.otherCpuSeconds === null ? '' : `, PostgreSQL and others ${p.otherCpuSeconds.toFixed(1)} s`}`;
    row(`  into PostgreSQL at ${p.server} (CLI child, wall time)`, `${int(p.linesPerSecond)} lines/s  (${p.wallSeconds.toFixed(2)} s, ${int(p.stored)} stored${cpu})`);
    row('  PostgreSQL / SQLite', `${p.ratio.toFixed(2)}×`, 'PostgreSQL / SQLite ingest');
    const d = p.dayDrop;
    if (d) {
      row(
        `  PostgreSQL retention: prune dropping ${d.day}`,
        `${(d.seconds * 1000).toFixed(0)} ms  (${int(d.events)} events, ~${int(d.otherRowsEstimate)} other rows, ${mib(d.bytes)}; ` +
          `slowest of ${int(d.reads)} reads meanwhile ${ms(d.slowestReadMs)}; filled in ${d.fillSeconds.toFixed(1)} s)`,
        'PostgreSQL drop of a day',
      );
    }
  }
  consoleRows(r.consoles, row);
  head('size');
  row('  raw logs', mib(r.database.rawBytes));
  row('  database (file + WAL)', `${mib(r.database.fileBytes + r.database.walBytes)}  (WAL ${mib(r.database.walBytes)}), ${r.database.bytesPerLine.toFixed(1)} bytes/line`);
  row('  database / raw', `${r.database.ratio.toFixed(2)}×`, 'database ratio');
  pgSizeRows(r, row);
  if (r.segments) row('  cid index segments', `${int(r.segments.segments)} (${int(r.segments.entries)} entries, ${int(r.segments.smallest)}–${int(r.segments.largest)} per segment; by level ${JSON.stringify(r.segments.byLevel)})`);
  head('ticket lookup (random correlation ids of the corpus)');
  const lk = r.lookup.inProcess;
  row(`  in-process buildTicket, ${int(lk.n)} ids`, `p50 ${ms(lk.p50)}  p99 ${ms(lk.p99)}  max ${ms(lk.max)}  missing ${lk.missing}`, 'lookup p99 in-process');
  const h = r.lookup.http;
  if (h) {
    row(`  HTTP GET /v1/tickets/:cid, ${int(h.n)} ids, ${h.concurrency} keep-alive client${h.concurrency > 1 ? 's' : ''}`, `p50 ${ms(h.p50)}  p99 ${ms(h.p99)}  max ${ms(h.max)}  non-200 ${h.missing}`, 'lookup p99 HTTP');
    if (h.servePeakRssBytes !== null) row('  peak RSS of the serve process', mib(h.servePeakRssBytes));
  }
  pgLookupRows(r.postgres, row);
  const g = r.lookup.grep;
  if (g) row(`  ${g.tool} over the raw files, ${g.n} ids`, `p50 ${ms(g.p50)}  max ${ms(g.max)} per lookup  (ours in-process ${(g.p50 / lk.p50).toFixed(0)}× faster at p50)`);
  if (r.diag) {
    head('/v1/diag, 100 concurrent keep-alive clients on loopback');
    for (const d of r.diag) row(`  ${d.mode}`, `p50 ${ms(d.p50)}  p99 ${ms(d.p99)}  ${int(d.perSecond)} req/s  check runs ${d.checkRuns}  ${JSON.stringify(d.statuses)}`);
    const h0 = r.diag[0]!.health;
    row('  the health answered (demo data)', `${h0.status}${h0.notPassing.length ? ` — not passing: ${h0.notPassing.join(', ')}` : ''}`);
  }
  head(`redaction of 64 KiB hostile strings, ${r.redaction.length} shapes (Redactor.text, CPU time per call; k: time ∝ size^k over 4–64 KiB)`);
  for (const c of r.redaction) row(`  ${c.name}`, `${ms(c.ms64k)}  k = ${c.exponent.toFixed(2)}`);
  row('  worst growth exponent', `k = ${Math.max(...r.redaction.map((c) => c.exponent)).toFixed(2)}`, 'redaction linear');
  if (r.around) {
    head('around a line and the audit of lookups (in-process, after the ticket lookups)');
    row(`  aroundEvent(id, 50), ${int(r.around.around.n)} ids, ${r.around.around.lines.toFixed(0)} lines each`, `p50 ${ms(r.around.around.p50)}  p99 ${ms(r.around.around.p99)}  max ${ms(r.around.around.max)}`);
    row(`  recordLookup, ${int(r.around.record.n)} rows`, `p50 ${ms(r.around.record.p50)}  p99 ${ms(r.around.record.p99)}  max ${ms(r.around.record.max)}`);
  }
  if (r.incidents) {
    head('incidents (/v1/incidents, window 24 h)');
    const i = r.incidents.inProcess;
    row(`  in-process incidents(), ${int(i.n)} runs, ${i.codes} codes`, `p50 ${ms(i.p50)}  p99 ${ms(i.p99)}  max ${ms(i.max)}`, 'incidents p99 in-process');
    const ih = r.incidents.http;
    if (ih) row(`  HTTP GET /v1/incidents, ${int(ih.n)} runs, 1 keep-alive client`, `p50 ${ms(ih.p50)}  p99 ${ms(ih.p99)}  max ${ms(ih.max)}  ${JSON.stringify(ih.statuses)}`, 'incidents p99 HTTP');
  }
  head('request search (newest 50 and the count; code, org, or free text in messages of every source)');
  for (const [where, cases] of [['in-process', r.search.inProcess], ['HTTP', r.search.http ?? []]] as const) {
    for (const c of cases) row(`  ${where} by ${c.kind}, ${int(c.n)} searches`, `p50 ${ms(c.p50)}  p99 ${ms(c.p99)}  max ${ms(c.max)}  ${c.rows.toFixed(0)} rows, count ${int(Math.round(c.count))}`, `search ${c.kind} p99 ${where}`);
  }

  const w0 = Math.max(...rows.map((x) => x[0].length));
  // Only rows with a target line up their values; a longer figure simply runs on.
  const w1 = Math.max(...rows.filter((x) => x[2]).map((x) => x[1].length));
  const out = [
    `tellwang-diag bench — ${r.machine.cpus} CPUs (${r.machine.model}), Node ${r.machine.node}, ${r.machine.platform}, ${r.machine.date}`,
    `load average ${r.machine.load[0].toFixed(1)} at the start, ${r.machine.load[1].toFixed(1)} at the end`,
    `corpus: ${int(r.corpus.lines)} lines, ${mib(r.corpus.bytes)} in ${r.corpus.files} files, ${int(r.corpus.requests)} requests (generated in ${r.corpus.generateSeconds.toFixed(1)} s${r.corpus.dir ? `, kept in ${r.corpus.dir}` : ''})`,
    '',
    ...rows.map(([a, b, c]) => (b || c ? `${a.padEnd(w0)}  ${c ? b.padEnd(w1) : b}  ${c}` : a).trimEnd()),
    '',
    `targets: ${r.targets.filter((t) => t.met).length} of ${r.targets.length} met${r.targets.some((t) => !t.met) ? ` — not met: ${r.targets.filter((t) => !t.met).map((t) => t.name).join(', ')}` : ''}`,
  ];
  return out.join('\n') + '\n';
}

type Row = (label: string, value: string, tname?: string) => void;

/** PostgreSQL's database beside SQLite's: every table of the bench's schema; the WAL is the cluster's, not counted. */
function pgSizeRows(r: BenchResult, row: Row): void {
  const p = r.postgres;
  if (!p) return;
  const d = p.database;
  const largest = d.largest.slice(0, 3).map((t) => `${t.table} ${mib(t.bytes)}`).join(', ');
  row('  PostgreSQL (tables + indexes + TOAST, no WAL)', `${mib(d.bytes)}, ${d.bytesPerLine.toFixed(1)} bytes/line  (${d.tables} tables; largest ${largest})`);
  row('  PostgreSQL / raw', `${d.ratio.toFixed(2)}×  (${(d.bytes / (r.database.fileBytes + r.database.walBytes)).toFixed(2)}× SQLite's file + WAL)`);
}

/** PostgreSQL's ticket lookups, the same ids by the same code as SQLite's above. */
function pgLookupRows(p: BenchResult['postgres'], row: Row): void {
  if (!p) return;
  const lk = p.lookup.inProcess;
  row(`  PostgreSQL in-process buildTicket, ${int(lk.n)} ids`, `p50 ${ms(lk.p50)}  p99 ${ms(lk.p99)}  max ${ms(lk.max)}  missing ${lk.missing}`);
  const h = p.lookup.http;
  if (!h) return;
  row(`  PostgreSQL HTTP GET /v1/tickets/:cid, ${int(h.n)} ids, ${h.concurrency} client${h.concurrency > 1 ? 's' : ''}`, `p50 ${ms(h.p50)}  p99 ${ms(h.p99)}  max ${ms(h.max)}  non-200 ${h.missing}`, 'PostgreSQL lookup p99 HTTP');
  if (h.servePeakRssBytes !== null) row('  peak RSS of the serve process on PostgreSQL', mib(h.servePeakRssBytes));
}

/** One console, then two on the same paths, following the corpus into PostgreSQL. */
function consoleRows(c: ConsolesResult | null | undefined, row: Row): void {
  if (!c) return;
  const fig = (x: ConsolesRun) =>
    `${x.seconds.toFixed(2)} s, ${int(c.lines / x.seconds)} lines/s` +
    (x.cpuSeconds === null ? '' : `  (CPU: consoles ${x.cpuSeconds.toFixed(1)} s${x.otherCpuSeconds === null ? '' : `, PostgreSQL and others ${x.otherCpuSeconds.toFixed(1)} s`})`) +
    (x.consoles > 1 && x.linesPerConsole.length ? `  lines of the streams each holds at the end: ${x.linesPerConsole.map(int).join(' / ')}` : '');
  row('  one serve --follow console into PostgreSQL', fig(c.one));
  row('  two consoles on the same paths, one database', fig(c.two));
  row('  two consoles / one (wall time)', `${c.ratio.toFixed(2)}×`, 'two consoles / one');
}

/** lnav's open of the same files beside our ingest, or how to install it. */
function lnavRows(r: BenchResult, row: (label: string, value: string, tname?: string) => void): void {
  const l = r.lnav;
  if (!l) return;
  if (!l.installed) {
    row('  lnav (open + index the same files)', `not measured — ${l.hint}`);
    return;
  }
  const plain = l.files.filter((f) => f.format === null).length;
  row(
    `  ${l.version} (open + index the same files, headless)`,
    `${l.wallSeconds.toFixed(2)} s  peak RSS ${l.peakRssBytes === null ? 'n/a' : mib(l.peakRssBytes)}` +
      `  (${int(l.recognised)} lines parsed by our formats, ${int(l.indexRows)} index rows${plain ? `, ${plain} files as plain text` : ''})`,
  );
  row('  ours (ingest wall time, as above)', `${r.ingest.wallSeconds.toFixed(2)} s  peak RSS ${r.ingest.peakRssBytes === null ? 'n/a' : mib(r.ingest.peakRssBytes)}`);
  row('  ours / lnav (wall time)', `${l.ratio.toFixed(2)}×`, 'ingest / lnav open');
}

export { LINEAR_EXPONENT };
