/**
 * A source (a file, or a Docker container directory) → the log files to read,
 * each with its stream's kind, container and whether it is final, plus what
 * is said about the source: skipped (a container directory without a
 * `*-json.log`) or read with a warning (an unreadable config.v2.json). One
 * place for one-shot ingest (ingest-paths.ts) and the bulk planner
 * (bulk/plan-tasks.ts), so both read the same files and say the same.
 */
import { closeSync, openSync } from 'node:fs';
import type { ContainerRef, Source } from '../../model/event.js';
import type { StreamKind } from '../../model/stream.js';
import type { EventStore } from '../../store/store.js';
import type { SourceSpec } from './discover.js';
import { isRotatedDockerLog } from './file-names.js';
import { cannotRead } from './log-file-head.js';
import { identifyLogFile } from './stream-identity.js';

export interface SourceFile {
  path: string;
  kind: StreamKind;
  container: ContainerRef | null;
  source: Source | null;
  /** The file will not grow: its last line is complete without a newline. */
  final: boolean;
}

export interface SourceFiles {
  files: SourceFile[];
  skipped: { path: string; reason: string }[];
  warnings: { path: string; message: string }[];
}

/** The files of a file or container source; `final`: every file is taken as it is (rotated Docker logs always are). */
export function sourceFiles(spec: Exclude<SourceSpec, { kind: 'stdin' }>, final: boolean): SourceFiles {
  const out: SourceFiles = { files: [], skipped: [], warnings: [] };
  if (spec.kind === 'file') {
    out.files.push({ path: spec.path, kind: 'file', container: null, source: null, final });
    return out;
  }
  const { files, container, dir, configProblem } = spec.dir;
  if (!files.length) {
    out.skipped.push({ path: dir, reason: configProblem ?? 'no *-json.log file' });
    return out;
  }
  if (configProblem?.startsWith('config.v2.json:')) out.warnings.push({ path: dir, message: `${configProblem}; wok and role only from the records' attrs` });
  // Rotated files (`…-json.log.N`) will not grow: their last lines are complete.
  for (const file of files) out.files.push({ path: file, kind: 'docker', container, source: 'container', final: final || isRotatedDockerLog(file) });
  return out;
}

export type OpenedLogFile = Exclude<Awaited<ReturnType<typeof identifyLogFile>>, { reason: string }> & { fd: number };

/**
 * Opens a log file and finds its stream (stream-identity.ts), or says why it is skipped (it cannot be opened, or
 * its head is not a log's). Open on success: the caller closes `fd`.
 */
export async function openLogFile(store: Pick<EventStore, 'checkpoint'>, path: string, final: boolean): Promise<OpenedLogFile | { reason: string }> {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    return { reason: cannotRead(e) };
  }
  try {
    const found = await identifyLogFile(store, fd, final);
    if ('reason' in found) {
      closeSync(fd);
      return found;
    }
    return { ...found, fd };
  } catch (e) {
    closeSync(fd);
    throw e;
  }
}
