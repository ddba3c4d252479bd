/** A parser thread of bulk ingest: takes tasks, answers with pieces, one task at a time. */
import { toThreadError } from '../../threads/thread-error.js';
import { openThreadPort } from '../../threads/thread-port.js';
import { runTask } from './parse-task.js';
import type { ParseThread } from './tasks.js';

const port = openThreadPort<ParseThread>();

port.onMessage(({ task }) => {
  try {
    runTask(task, (piece) => port.post({ type: 'piece', piece }), port.redactor);
    port.post({ type: 'done', task: task.id });
  } catch (e) {
    port.post({ type: 'error', task: task.id, error: toThreadError(e) });
  }
});
