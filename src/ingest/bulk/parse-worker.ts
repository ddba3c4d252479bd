/** A parser thread of bulk ingest: takes tasks, answers with pieces, one task at a time. */
import { toThreadError } from '../../threads/thread-error.js';
import { openThreadPort } from '../../threads/thread-port.js';
import { runTask } from './parse-task.js';
import type { ParseThread, Piece } from './tasks.js';

/** Each block's packed lines and summary own their buffers (packLines): they can be transferred whole. */
function packedBuffers(piece: Piece): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  for (const b of piece.blocks) {
    out.push(b.packed.buffer as ArrayBuffer);
    if (b.summary) out.push(b.summary.buffer as ArrayBuffer);
  }
  return out;
}

const port = openThreadPort<ParseThread>();

port.onMessage(({ task }) => {
  try {
    // The packed bytes of the blocks move to the writing thread instead of being copied.
    runTask(task, (piece) => port.post({ type: 'piece', piece }, packedBuffers(piece)), port.redactor);
    port.post({ type: 'done', task: task.id });
  } catch (e) {
    port.post({ type: 'error', task: task.id, error: toThreadError(e) });
  }
});
