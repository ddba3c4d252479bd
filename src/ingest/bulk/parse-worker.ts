/** A parser thread of bulk ingest: takes tasks, answers with pieces, one task at a time. */
import { parentPort } from 'node:worker_threads';
import { setExtraPatterns } from '../../redact/redact.js';
import { runTask } from './parse-task.js';
import type { ParseTask, WorkerMessage } from './tasks.js';

const port = parentPort!;

port.on('message', (m: { type: 'task'; task: ParseTask } | { type: 'redact'; patterns: string[] }) => {
  if (m.type === 'redact') {
    setExtraPatterns(m.patterns.map((p) => new RegExp(p, 'g')));
    return;
  }
  const { task } = m;
  try {
    runTask(task, (piece) => port.postMessage({ type: 'piece', piece } satisfies WorkerMessage));
    port.postMessage({ type: 'done', task: task.id } satisfies WorkerMessage);
  } catch (e) {
    port.postMessage({ type: 'error', task: task.id, message: (e as Error).message } satisfies WorkerMessage);
  }
});
