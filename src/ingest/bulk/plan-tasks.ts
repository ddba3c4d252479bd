/**
 * Sources → parse tasks. A file whose lines stand alone (the cp's and the
 * audit log) is cut into byte ranges, so one large file keeps every parser
 * thread busy; a Docker log is one task read in order, since its long lines
 * come in parts that must be joined.
 */
import { closeSync } from 'node:fs';
import type { StreamInfo } from '../../model/stream.js';
import type { Store } from '../../store/store.js';
import { DEFAULT_PG_LOG_LINE_PREFIX } from '../parsers/pg-prefix.js';
import type { SourceSpec } from '../readers/discover.js';
import { looksLikeDockerRecords } from '../readers/log-file-head.js';
import { openLogFile, sourceFiles, type SourceFile } from '../readers/source-files.js';
import type { StreamPlan } from './ordered-writer.js';
import type { ParseTask } from './tasks.js';

export interface PlanOptions {
  final: boolean;
  maxLine: number;
  batchLines: number;
  /** Bytes per range task. */
  rangeBytes: number;
  pgLogLinePrefix?: string;
}

export interface Plan {
  tasks: ParseTask[];
  streams: StreamPlan[];
  skipped: { path: string; reason: string }[];
  warnings: { path: string; message: string }[];
  /** Bytes the tasks will read (for progress and ETA). */
  bytes: number;
}


export async function planTasks(store: Store, specs: SourceSpec[], o: PlanOptions): Promise<Plan> {
  const plan: Plan = { tasks: [], streams: [], skipped: [], warnings: [], bytes: 0 };
  let nextId = 0;

  const addFile = async ({ path, kind, container, source, final }: SourceFile) => {
    const found = await openLogFile(store, path, final);
    if ('reason' in found) {
      plan.skipped.push({ path, reason: found.reason });
      return;
    }
    closeSync(found.fd);
    const { head, key } = found;
    const stream: StreamInfo = { key, kind, path, container, source };
    const start = await store.checkpoint(key);
    const from = start?.offset ?? 0;
    const size = head.stat.size;
    const ids: number[] = [];
    const base = { stream, path, final, maxLine: o.maxLine, batchLines: o.batchLines, pgLogLinePrefix: o.pgLogLinePrefix ?? DEFAULT_PG_LOG_LINE_PREFIX };
    if (kind === 'docker' || looksLikeDockerRecords(head.head)) {
      ids.push(nextId);
      plan.tasks.push({ ...base, id: nextId++, kind: 'stream', start: from, end: size, atLineStart: true });
    } else {
      for (let a = from; a < size || a === from; a += o.rangeBytes) {
        const end = Math.min(size, a + o.rangeBytes);
        ids.push(nextId);
        // The last range reads to the end of the file; the others stop at the first line starting at or after `end`.
        plan.tasks.push({ ...base, id: nextId++, kind: end >= size ? 'stream' : 'range', start: a, end, atLineStart: a === from, final: end >= size ? final : false });
        if (end >= size) break;
      }
    }
    plan.bytes += Math.max(0, size - from);
    plan.streams.push({ stream, tasks: ids, start, file: { dev: head.stat.dev, ino: head.stat.ino, size } });
  };

  for (const spec of specs) {
    if (spec.kind === 'stdin') continue;
    const { files, skipped, warnings } = sourceFiles(spec, o.final);
    plan.skipped.push(...skipped);
    plan.warnings.push(...warnings);
    for (const f of files) await addFile(f);
  }
  return plan;
}
