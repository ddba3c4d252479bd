/**
 * What `--follow PATH…` watches, looked at again on every scan so new files
 * and new Docker container directories are picked up as they appear:
 *
 * - a file: that file (live) and its rotated siblings in the same directory
 *   (`app.log.1`, `app.log-20260101`; compressed ones are skipped), so lines
 *   left in a file rotated while the console was stopped are still read;
 * - a Docker container directory: `<id>-json.log` (live) and `<id>-json.log.N`;
 * - any other directory: walked; Docker container directories inside it are
 *   read as such, other files are live unless their name looks rotated.
 *
 * A path missing at the start is an error naming it, unless its directory
 * exists (the file will appear: a container not started yet).
 */
import { readdirSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import type { ContainerRef, Source } from '../../model/event.js';
import type { StreamKind } from '../../model/stream.js';
import { InputError } from '../readers/discover.js';
import { isAnyDockerLog, isDockerLog, isRotatedName, isSkippedFile } from '../readers/file-names.js';
import { isDockerContainerDir, readDockerContainerDir } from '../readers/docker-container.js';

export interface Hit {
  path: string;
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
  live: boolean;
  kind: StreamKind;
  container: ContainerRef | null;
  source: Source | null;
}

export interface Scan {
  /** By `<dev>:<ino>`. */
  files: Map<string, Hit>;
  /** Paths that could not be read this time, with why. */
  problems: Map<string, string>;
  /** Directories looked at (for fs.watch hints). */
  dirs: Set<string>;
}

const MAX_DEPTH = 8;

/** Checks the paths once at the start: a clear error naming any that cannot be followed. */
export function checkFollowPaths(paths: readonly string[]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    if (p === '-') throw new InputError('--follow takes files and directories; for a pipe use `ingest -` (it reads until the pipe closes)');
    const abs = path.resolve(p);
    try {
      statSync(abs);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' && isDir(path.dirname(abs))) {
        out.push(abs);
        continue;
      }
      throw new InputError(code === 'ENOENT' ? `${p}: no such file or directory` : `${p}: cannot be read (${code ?? (e as Error).message})`);
    }
    out.push(abs);
  }
  return out;
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

export class TargetScanner {
  /** Container metadata by directory, read once (again while config.v2.json was unreadable). */
  private readonly containers = new Map<string, { container: ContainerRef; ok: boolean }>();

  constructor(private readonly roots: readonly string[]) {}

  scan(): Scan {
    const scan: Scan = { files: new Map(), problems: new Map(), dirs: new Set() };
    for (const root of this.roots) {
      let st: Stats;
      try {
        st = statSync(root);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        scan.dirs.add(path.dirname(root));
        if (code !== 'ENOENT') scan.problems.set(root, `cannot be read (${code ?? (e as Error).message})`);
        // A missing file: its rotated siblings may still hold lines.
        if (code === 'ENOENT') this.siblings(root, scan);
        continue;
      }
      if (st.isDirectory()) this.walk(root, 0, scan);
      else this.file(root, st, scan);
    }
    return scan;
  }

  private file(p: string, st: Stats, scan: Scan): void {
    const dir = path.dirname(p);
    if (isDockerLog(p) && isDockerContainerDir(dir)) return this.docker(dir, scan);
    scan.dirs.add(dir);
    this.add(scan, p, st, true, 'file', null);
    this.siblings(p, scan);
  }

  private siblings(p: string, scan: Scan): void {
    const dir = path.dirname(p);
    const base = path.basename(p);
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of names) {
      if (name.length <= base.length + 1 || !name.startsWith(base) || isSkippedFile(name)) continue;
      const sep = name[base.length];
      if (sep !== '.' && sep !== '-') continue;
      this.stat(scan, path.join(dir, name), false, 'file', null);
    }
  }

  private docker(dir: string, scan: Scan): void {
    scan.dirs.add(dir);
    let meta = this.containers.get(dir);
    let files: string[];
    try {
      if (!meta || !meta.ok) {
        const d = readDockerContainerDir(dir);
        meta = { container: d.container, ok: d.configProblem === null };
        this.containers.set(dir, meta);
        files = d.files;
      } else {
        files = readdirSync(dir)
          .filter((f) => isAnyDockerLog(f))
          .map((f) => path.join(dir, f));
      }
    } catch (e) {
      scan.problems.set(dir, `cannot be listed (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
      return;
    }
    for (const f of files) this.stat(scan, f, isDockerLog(f), 'docker', meta.container);
  }

  private walk(dir: string, depth: number, scan: Scan): void {
    if (isDockerContainerDir(dir)) return this.docker(dir, scan);
    scan.dirs.add(dir);
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch (e) {
      scan.problems.set(dir, `cannot be listed (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
      return;
    }
    for (const name of names) {
      if (isSkippedFile(name)) continue;
      const p = path.join(dir, name);
      let st: Stats;
      try {
        st = statSync(p);
      } catch {
        continue;
      }
      if (st.isDirectory()) {
        if (depth < MAX_DEPTH) this.walk(p, depth + 1, scan);
      } else if (st.isFile()) {
        this.add(scan, p, st, !isRotatedName(name), 'file', null);
      }
    }
  }

  private stat(scan: Scan, p: string, live: boolean, kind: StreamKind, container: ContainerRef | null): void {
    let st: Stats;
    try {
      st = statSync(p);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT') scan.problems.set(p, `cannot be read (${code ?? (e as Error).message})`);
      return;
    }
    if (st.isFile()) this.add(scan, p, st, live, kind, container);
  }

  private add(scan: Scan, p: string, st: Stats, live: boolean, kind: StreamKind, container: ContainerRef | null): void {
    const id = `${st.dev}:${st.ino}`;
    const prior = scan.files.get(id);
    if (prior) {
      // One file reached by two paths (a symlink, a directory and a file in it): live wins.
      if (live && !prior.live) (prior.live = true), (prior.path = p);
      return;
    }
    scan.files.set(id, {
      path: p,
      dev: st.dev,
      ino: st.ino,
      size: st.size,
      mtimeMs: st.mtimeMs,
      live,
      kind,
      container,
      source: kind === 'docker' ? 'container' : null,
    });
  }
}
