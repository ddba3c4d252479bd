/**
 * lnav, the log viewer support engineers open these files with otherwise,
 * measured on the bench's own corpus: the time and peak RSS it takes to open
 * and index the same files our ingest reads, with the log formats of
 * bench/lnav/ installed so that it knows their lines (as a user who looks at
 * these logs with lnav would have them).
 *
 * lnav runs headless (-n) with a private home directory, so that nothing in
 * the real HOME is read or written and each run starts cold: lnav keeps no
 * index between runs and must read every file again the next time. In
 * headless mode lnav rescans the files and rebuilds its index until every
 * line of every file is indexed (each line's time, level and format found)
 * before it runs the first command; that command then only asks the
 * `lnav_file` table, which lnav fills from its index without reading a log
 * line again, for each file's format and index size. So the measured run is
 * exactly "open and index everything, then quit".
 *
 * The index counts display rows, not log lines: under each JSON message lnav
 * indexes a row for each shown field the line format leaves out. How many
 * lines our formats recognised (parsed into their tables, not read as plain
 * text) is counted afterwards in a second, untimed run that scans every
 * message (`SELECT count(*)` from each format's table).
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../src/project-root.js';
import { runMeasured } from './measured-process.js';

export const LNAV_INSTALL_HINT = 'lnav is not installed: `sudo apt-get install lnav` (Debian/Ubuntu) puts it on PATH, then `npm run bench` measures it beside the ingest';

/** The log formats of bench/lnav/, by the table name lnav gives each. */
export function benchFormats(): { name: string; file: string }[] {
  const dir = path.join(projectRoot(), 'bench', 'lnav');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({ name: f.slice(0, -'.json'.length), file: path.join(dir, f) }));
}

/** The lnav executable on PATH, or null. */
export function findLnav(pathEnv = process.env.PATH ?? ''): string | null {
  for (const dir of pathEnv.split(path.delimiter)) {
    if (!dir) continue;
    const file = path.join(dir, 'lnav');
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return null;
}

export interface LnavFile {
  path: string;
  /** The format lnav detected for the file; null when it read the file as plain text. */
  format: string | null;
  /** Rows of lnav's index for the file: its messages and the field rows shown under them. */
  indexRows: number;
}

export interface LnavOpenResult {
  installed: true;
  version: string;
  wallSeconds: number;
  peakRssBytes: number | null;
  peakRssMethod: string;
  cpuSeconds: number | null;
  /** Rows of lnav's index over all files (lnav_file.lines). */
  indexRows: number;
  files: LnavFile[];
  /** Log lines parsed by each of our formats (the untimed counting run); their sum is what lnav recognised. */
  messages: Record<string, number>;
  recognised: number;
}

export type LnavPeer = LnavOpenResult | { installed: false; hint: string };

/**
 * A private home for lnav holding only our formats, where `lnav -i` would
 * have installed them (~/.lnav/formats/installed/). XDG_CONFIG_HOME is
 * dropped so that lnav cannot look elsewhere for its configuration.
 */
export function lnavHome(dir: string): NodeJS.ProcessEnv {
  const installed = path.join(dir, '.lnav', 'formats', 'installed');
  mkdirSync(installed, { recursive: true });
  for (const f of benchFormats()) copyFileSync(f.file, path.join(installed, path.basename(f.file)));
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: dir, TERM: 'dumb' };
  delete env.XDG_CONFIG_HOME;
  return env;
}

export function lnavVersion(lnav: string): string {
  const r = spawnSync(lnav, ['-V'], { encoding: 'utf8' });
  return (r.stdout ?? '').trim() || 'lnav';
}

/** Runs lnav headless: the SQL `query`'s rows, written by lnav as JSON. */
function headless(lnav: string, out: string, query: string, files: string[]): string[] {
  return [lnav, '-n', '-c', `;${query}`, '-c', `:write-json-to ${out}`, ...files];
}

/** Opens `files` in lnav once, timed, and reads back what it indexed; then counts, untimed, the lines each format parsed. */
export async function lnavOpen(files: string[], lnav: string): Promise<LnavOpenResult> {
  const home = mkdtempSync(path.join(os.tmpdir(), 'bench-lnav-'));
  try {
    const env = lnavHome(home);
    const out = path.join(home, 'files.json');
    const [cmd, ...args] = headless(lnav, out, 'SELECT filepath, format, lines FROM lnav_file', files);
    const run = await runMeasured(cmd!, args, { env });
    const rows = JSON.parse(readFileSync(out, 'utf8')) as { filepath: string; format: string | null; lines: number }[];
    const listed = rows.map((r) => ({ path: r.filepath, format: r.format || null, indexRows: Number(r.lines) }));
    const messages = lnavFormatCounts(files, lnav);
    return {
      installed: true,
      version: lnavVersion(lnav),
      wallSeconds: run.wallSeconds,
      peakRssBytes: run.peakRssBytes,
      peakRssMethod: run.peakRssMethod,
      cpuSeconds: run.cpuSeconds,
      indexRows: listed.reduce((n, f) => n + f.indexRows, 0),
      files: listed,
      messages,
      recognised: Object.values(messages).reduce((n, c) => n + c, 0),
    };
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

/**
 * How many log messages each of our formats' tables holds once lnav opened
 * `files` (a full scan of every line: for checking the formats, not timed).
 */
export function lnavFormatCounts(files: string[], lnav: string): Record<string, number> {
  const home = mkdtempSync(path.join(os.tmpdir(), 'bench-lnav-'));
  try {
    const env = lnavHome(home);
    const out = path.join(home, 'counts.json');
    const query = benchFormats()
      .map((f) => `SELECT '${f.name}' AS format, count(*) AS n FROM ${f.name}`)
      .join(' UNION ALL ');
    const [cmd, ...args] = headless(lnav, out, query, files);
    // stdin closed, not an empty pipe: lnav would open a piped stdin as one more log.
    const r = spawnSync(cmd!, args, { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
    if (r.status !== 0) throw new Error(`lnav exited with ${r.status ?? r.signal}: ${r.stderr}`);
    const rows = JSON.parse(readFileSync(out, 'utf8')) as { format: string; n: number }[];
    return Object.fromEntries(rows.map((x) => [x.format, Number(x.n)]));
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

/** lnav's figures for the bench: measured when lnav is on PATH, else how to install it. */
export async function lnavPeer(files: string[]): Promise<LnavPeer> {
  const lnav = findLnav();
  if (!lnav) return { installed: false, hint: LNAV_INSTALL_HINT };
  return lnavOpen(files, lnav);
}
