/**
 * Paths given on the command line → the sources to read: plain files, Docker
 * container directories (recognised by their layout), directories walked for
 * both, and `-` for standard input. A path that does not exist or cannot be
 * read is an error naming it.
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { isDockerContainerDir, readDockerContainerDir, type DockerContainerDir } from './docker-container.js';
import { CodedError } from '../../errors/coded-error.js';
import { isAnyDockerLog, isSkippedFile } from './file-names.js';
import type { DiagCode } from '../../errors/diag-codes.js';

export type SourceSpec = { kind: 'file'; path: string } | { kind: 'docker'; dir: DockerContainerDir } | { kind: 'stdin' };

export class InputError extends CodedError {
  override name = 'InputError';
  readonly code = 'DIAG_INPUT_INVALID' satisfies DiagCode;
}

const MAX_DEPTH = 8;

export function discover(paths: readonly string[]): SourceSpec[] {
  const out: SourceSpec[] = [];
  const seen = new Set<string>();
  for (const p of paths) {
    if (p === '-') {
      out.push({ kind: 'stdin' });
      continue;
    }
    let st;
    try {
      st = statSync(p);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new InputError(code === 'ENOENT' ? `${p}: no such file or directory` : `${p}: cannot be read (${code ?? (e as Error).message})`);
    }
    if (st.isDirectory()) walk(p, 0, out, seen);
    else addFile(p, out, seen);
  }
  return out;
}

function addFile(p: string, out: SourceSpec[], seen: Set<string>): void {
  const abs = path.resolve(p);
  const dir = path.dirname(abs);
  // A container's log file named directly: read that file alone, as part of its container (for the labels).
  if (isAnyDockerLog(abs) && isDockerContainerDir(dir)) return addDocker(dir, out, seen, abs);
  if (seen.has(abs)) return;
  seen.add(abs);
  out.push({ kind: 'file', path: abs });
}

/** A container directory (all its log files, oldest first), or one file of it; a file already taken is not taken again. */
function addDocker(dir: string, out: SourceSpec[], seen: Set<string>, only?: string): void {
  const d = readDockerContainerDir(path.resolve(dir));
  const files = d.files.filter((f) => (only === undefined || f === only) && !seen.has(f));
  for (const f of files) seen.add(f);
  if (files.length || (only === undefined && !d.files.length && !seen.has(d.dir))) {
    seen.add(d.dir);
    out.push({ kind: 'docker', dir: { ...d, files } });
  }
}

function walk(dir: string, depth: number, out: SourceSpec[], seen: Set<string>): void {
  if (isDockerContainerDir(dir)) return addDocker(dir, out, seen);
  if (depth > MAX_DEPTH) return;
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch (e) {
    throw new InputError(`${dir}: cannot be listed (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  for (const name of names) {
    if (isSkippedFile(name)) continue;
    const p = path.join(dir, name);
    let st;
    try {
      st = statSync(p);
    } catch {
      continue;
    }
    if (st.isDirectory()) walk(p, depth + 1, out, seen);
    else if (st.isFile()) addFile(p, out, seen);
  }
}
