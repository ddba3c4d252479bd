/**
 * `npm run bench`: from one run on this machine, generates a realistic corpus
 * (bench/corpus.ts), then measures our ingest (the real CLI in a child
 * process, its wall time and peak RSS) against the JSON.parse baseline of the
 * same files, the floor no per-line ingest can beat (floor.ts), the database size, ticket lookups in-process, over HTTP and by
 * rg / grep, /v1/diag under 100 clients and redaction on hostile text; with
 * --pg URL also the ingest of the same corpus into PostgreSQL (pg-ingest.ts)
 * and its ratio to SQLite's, then that database's size and ticket lookups
 * (pg-lookups.ts), and the drop of a day holding as many rows
 * (pg-partition-drop.ts), and one `serve --follow` console against two on
 * the same paths (pg-consoles.ts). Prints a table with each target and whether it is met, or with --json one object. When lnav is on PATH it opens the same
 * files, timed beside our ingest (lnav-peer.ts).
 *
 *   node dist/bench/bench.js [--lines N] [--dir DIR] [--json] [--lookups N] [--http-clients N]
 *                            [--grep-ids N] [--redact-ms N] [--searches N] [--no-diag] [--no-http] [--no-grep] [--no-lnav]
 *                            [--pg postgres://user@host:5432/database] [--no-consoles]
 */
import { benchAround } from './around.js';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { projectRoot } from '../src/project-root.js';
import { baseline } from './baseline.js';
import { benchOptions } from './bench-options.js';
import { writeCorpus } from './corpus.js';
import { benchDiag } from './diag.js';
import { ingestFloor } from './floor.js';
import { lnavPeer } from './lnav-peer.js';
import { lookupByGrep, lookupInChild, lookupOverHttp } from './lookups.js';
import { pgBench } from './pg-lookups.js';
import { pgConsoles } from './pg-consoles.js';
import { runMeasured } from './measured-process.js';
import { benchRedaction } from './redact-bench.js';
import { searchInProcess, searchOverHttp, type SearchBenchResult } from './search-bench.js';
import { LINEAR_EXPONENT, MIB, renderTable, target, type BenchResult } from './report.js';
import { createOperatorToken, startServe } from './serve-child.js';
import { draw } from './stats.js';
import { incidentsInChild, incidentsOverHttp } from './incidents.js';

const SEED = 42;

function size(file: string): number {
  return existsSync(file) ? statSync(file).size : 0;
}

/** One RSS sample a second, enough to see how memory moves over the run. */
function perSecond(timeline: [number, number][]): [number, number][] {
  const out: [number, number][] = [];
  for (const [t, rss] of timeline) if (!out.length || t - out[out.length - 1]![0] >= 1) out.push([Number(t.toFixed(2)), rss]);
  return out;
}

export async function runBench(argv: string[]): Promise<BenchResult> {
  const o = benchOptions(argv);
  const load0 = os.loadavg()[0]!;
  const say = (line: string) => process.stderr.write(`bench: ${line}\n`);
  const root = o.dir ? path.resolve(o.dir) : mkdtempSync(path.join(os.tmpdir(), 'tellwang-bench-'));
  const corpusDir = path.join(root, 'corpus');
  const db = path.join(root, 'bench.sqlite');
  const cli = path.join(projectRoot(), 'dist', 'src', 'cli.js');
  try {
    if (o.dir) {
      mkdirSync(root, { recursive: true });
      if (readdirSync(root).length) throw new Error(`--dir ${root} is not empty: give a new or empty directory`);
    }
    say(`writing a corpus of ${o.lines.toLocaleString('en-US')} lines to ${corpusDir}`);
    const g0 = performance.now();
    const corpus = writeCorpus(corpusDir, o.lines, SEED);
    const generateSeconds = (performance.now() - g0) / 1000;

    say('baseline: one thread reading, splitting and JSON.parse-ing every line');
    const runs = [baseline(corpus.files)];

    say(`ingest: ${path.relative(process.cwd(), cli)} ingest --db ${db} ${corpusDir}`);
    const ing = await runMeasured(process.execPath, [cli, 'ingest', '--json', '--db', db, corpusDir], { inheritStderr: true });
    const report = JSON.parse(ing.stdout) as { lines: number; bytes: number; seconds: number; stored: number; unparsed: number };
    if (report.lines !== corpus.lines) say(`warning: the ingest read ${report.lines} lines of the corpus's ${corpus.lines}`);

    say('baseline again (the faster of the two runs counts)');
    runs.push(baseline(corpus.files));
    say(`ingest floor: split + JSON.parse + secret pre-check on ${os.availableParallelism()} threads, nothing stored`);
    const floor = await ingestFloor(corpus.files, os.availableParallelism());
    if (o.lnav) say('lnav: opening the same files headless, with the formats of bench/lnav/ (when lnav is installed)');
    const lnav = o.lnav ? await lnavPeer(corpus.files) : null;
    if (lnav && !lnav.installed) say(lnav.hint);
    const best = runs.reduce((a, b) => (b.seconds < a.seconds ? b : a));
    const ids = draw(corpus.cids, o.lookups, SEED + 1);
    const warmup = draw(corpus.cids, 100, SEED + 2);
    const pgResult = o.pg ? await pgBench(corpusDir, o.pg, report.lines / ing.wallSeconds, { cli, ids, warmup, httpClients: o.http ? o.httpClients : null, capSeconds: 300, workDir: root, rawBytes: corpus.bytes }, say) : null;
    const consoles = pgResult && o.consoles ? await pgConsoles(cli, corpusDir, o.pg!, report.stored + report.unparsed, say) : null;
    const database = { fileBytes: size(db), walBytes: size(`${db}-wal`), rawBytes: corpus.bytes, ratio: 0, bytesPerLine: 0 };
    database.ratio = (database.fileBytes + database.walBytes) / corpus.bytes;
    database.bytesPerLine = (database.fileBytes + database.walBytes) / report.lines;

    say(`ticket lookups in-process (in a fresh process holding the store): ${ids.length} ids`);
    const { segmentStats, ...inProcess } = lookupInChild(db, ids, warmup, 300, root);

    let http: BenchResult['lookup']['http'] = null;
    if (o.http) {
      say(`ticket lookups over HTTP: ${ids.length} ids, ${o.httpClients} keep-alive client(s)`);
      const token = createOperatorToken(cli, db, 'bench');
      const server = await startServe(cli, db);
      try {
        const r = await lookupOverHttp(server.url, token, ids, warmup, o.httpClients, 300);
        http = { ...r, concurrency: o.httpClients, servePeakRssBytes: server.peakRss() };
      } finally {
        await server.stop();
      }
    }

    let grep: BenchResult['lookup']['grep'] = null;
    if (o.grep && o.grepIds > 0) {
      say(`the same lookup by rg/grep over the raw files: ${o.grepIds} ids`);
      grep = lookupByGrep(corpusDir, ids.slice(0, o.grepIds));
    }

    say(`the lines around an event (n = 50) and one audit-of-lookups row: ${Math.min(ids.length, 1000)} ids`);
    const around = await benchAround(db, ids.slice(0, 1000));
    say(`request search by code, org and free text: ${o.searches} of each, in-process${o.http ? ' and over HTTP' : ''}`);
    const search: SearchBenchResult = { inProcess: await searchInProcess(db, o.searches), http: null };
    if (o.http) {
      const token = createOperatorToken(cli, db, 'bench-search');
      const server = await startServe(cli, db);
      try {
        search.http = await searchOverHttp(server.url, token, o.searches);
      } finally {
        await server.stop();
      }
    }

    say('redaction on hostile strings');
    const redaction = benchRedaction(o.redactMs);

    let diag: BenchResult['diag'] = null;
    if (o.diag) {
      say('/v1/diag with 100 concurrent clients (its own demo dataset)');
      diag = await benchDiag(() => {});
    }

    say('/v1/incidents, window 24 h ending at the corpus\'s newest request: 200 in-process, 200 over HTTP');
    const incidentsResult: BenchResult['incidents'] = { inProcess: incidentsInChild(db, 200), http: null };
    if (o.http) {
      const server = await startServe(cli, db);
      try {
        incidentsResult.http = await incidentsOverHttp(server.url, createOperatorToken(cli, db, 'bench-incidents'), db, 200);
      } finally {
        await server.stop();
      }
    }

    const linesPerSecond = report.lines / ing.wallSeconds;
    const bLinesPerSecond = best.lines / best.seconds;
    const result: BenchResult = {
      machine: { cpus: os.availableParallelism(), model: os.cpus()[0]?.model.trim() ?? 'unknown', node: process.version, platform: `${os.platform()} ${os.release()}`, date: new Date().toISOString(), load: [load0, os.loadavg()[0]!] },
      corpus: { dir: o.dir ? corpusDir : null, lines: corpus.lines, bytes: corpus.bytes, files: corpus.files.length, requests: corpus.requests, generateSeconds },
      baseline: { runs, linesPerSecond: bLinesPerSecond, mibPerSecond: best.bytes / MIB / best.seconds },
      ingest: {
        lines: report.lines,
        bytes: report.bytes,
        stored: report.stored,
        unparsed: report.unparsed,
        wallSeconds: ing.wallSeconds,
        cliSeconds: report.seconds,
        linesPerSecond,
        mibPerSecond: report.bytes / MIB / ing.wallSeconds,
        cliLinesPerSecond: report.lines / report.seconds,
        peakRssBytes: ing.peakRssBytes,
        peakRssMethod: ing.peakRssMethod,
        cpuSeconds: ing.cpuSeconds,
        otherCpuSeconds: ing.cpuSeconds !== null && ing.machineBusySeconds !== null ? Math.max(0, ing.machineBusySeconds - ing.cpuSeconds) : null,
        rss: perSecond(ing.timeline),
      },
      ratio: linesPerSecond / bLinesPerSecond,
      lnav: lnav && lnav.installed ? { ...lnav, ratio: ing.wallSeconds / lnav.wallSeconds } : lnav,
      postgres: pgResult,
      consoles,
      floor: { ...floor, ratio: floor.linesPerSecond / bLinesPerSecond },
      database,
      segments: segmentStats,
      lookup: { inProcess, http, grep },
      diag,
      redaction,
      around,
      targets: [],
      incidents: incidentsResult,
      search,
    };
    const at5m = corpus.lines >= 5_000_000 ? undefined : '(at 5M lines)';
    result.targets.push(target('ingest ratio', Number(result.ratio.toFixed(3)), '×', 1.0, false));
    if (result.lnav?.installed) result.targets.push(target('ingest / lnav open', Number(result.lnav.ratio.toFixed(3)), '×', 1.5, true));
    if (pgResult) result.targets.push(target('PostgreSQL / SQLite ingest', Number(pgResult.ratio.toFixed(3)), '×', 0.7, false));
    if (consoles) result.targets.push(target('two consoles / one', Number(consoles.ratio.toFixed(3)), '×', 1, true));
    if (pgResult?.dayDrop) result.targets.push(target('PostgreSQL drop of a day', Number(pgResult.dayDrop.seconds.toFixed(3)), 's', 1, true));
    result.targets.push(target('lookup p99 in-process', Number(inProcess.p99.toFixed(3)), 'ms', 5, true, at5m));
    if (http) result.targets.push(target('lookup p99 HTTP', Number(http.p99.toFixed(3)), 'ms', 15, true, at5m));
    if (pgResult?.lookup.http) result.targets.push(target('PostgreSQL lookup p99 HTTP', Number(pgResult.lookup.http.p99.toFixed(3)), 'ms', 10, true, at5m));
    result.targets.push(target('peak RSS', ing.peakRssBytes === null ? NaN : Number((ing.peakRssBytes / MIB).toFixed(1)), 'MiB', 256, true));
    result.targets.push(target('database ratio', Number(database.ratio.toFixed(3)), '×', 0.25, true));
    result.targets.push(target('redaction linear', Number(Math.max(...redaction.map((c) => c.exponent)).toFixed(2)), 'k', LINEAR_EXPONENT, true));
    result.targets.push(target('incidents p99 in-process', Number(incidentsResult.inProcess.p99.toFixed(3)), 'ms', 50, true, at5m));
    if (incidentsResult.http) result.targets.push(target('incidents p99 HTTP', Number(incidentsResult.http.p99.toFixed(3)), 'ms', 50, true, at5m));
    for (const [where, cases] of [['in-process', search.inProcess], ['HTTP', search.http ?? []]] as const) {
      for (const c of cases) result.targets.push(target(`search ${c.kind} p99 ${where}`, Number(c.p99.toFixed(3)), 'ms', c.kind === 'text' ? 500 : 50, true, at5m));
    }
    return result;
  } finally {
    if (!o.dir) rmSync(root, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    const argv = process.argv.slice(2);
    const r = await runBench(argv);
    process.stdout.write(argv.includes('--json') ? JSON.stringify(r, null, 2) + '\n' : renderTable(r));
  } catch (e) {
    process.stderr.write(`bench: ${(e as Error).message}\n`);
    process.exitCode = 1;
  }
}
