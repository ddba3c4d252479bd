/**
 * The one writer of bulk ingest. Pieces arrive from the parser threads in any
 * order; each stream's pieces are committed strictly in order (task, then
 * piece), so its checkpoint only ever moves forward over bytes whose lines
 * are all stored. Ready pieces of several streams share a transaction.
 */
import type { Checkpoint, StreamInfo } from '../../model/stream.js';
import type { PreparedStream } from '../../store/prepared-batch.js';
import type { WriteResult } from '../../store/store.js';
import { checkpointAt, type FileState } from '../stream-reader.js';
import type { Piece } from './tasks.js';

export interface StreamPlan {
  stream: StreamInfo;
  /** The stream's task ids, in order. */
  tasks: number[];
  /** The committed checkpoint when planning. */
  start: Checkpoint | null;
  file: FileState;
}

interface StreamState {
  plan: StreamPlan;
  /** Index into plan.tasks of the task whose pieces come next. */
  at: number;
  /** Next piece number expected of that task. */
  seq: number;
  /** Absolute line count at the start of that task. */
  taskBase: number;
  waiting: Map<string, Piece>;
}

interface Ready {
  state: StreamState;
  piece: Piece;
  /** Absolute line count at the start of the piece's task. */
  base: number;
}

export type Commit = (streams: PreparedStream[]) => Promise<WriteResult>;

export class OrderedWriter {
  private readonly byTask = new Map<number, StreamState>();
  private readonly states: StreamState[] = [];
  private ready: Ready[] = [];
  private readyLines = 0;
  stored = 0;

  constructor(
    plans: StreamPlan[],
    private readonly commit: Commit,
    /** Ready lines that make a commit. */
    private readonly batchLines: number,
    /** The most lines one transaction may hold (the store's bulkLimits); none: everything ready goes in one. */
    private readonly maxLines: number | null = null,
  ) {
    for (const plan of plans) {
      const s: StreamState = { plan, at: 0, seq: 0, taskBase: plan.start?.line ?? 0, waiting: new Map() };
      this.states.push(s);
      for (const t of plan.tasks) this.byTask.set(t, s);
    }
  }

  /** Takes a piece; commits what is ready once enough lines wait. */
  async add(piece: Piece): Promise<void> {
    const s = this.byTask.get(piece.task);
    if (!s) throw new Error(`a piece of unknown task ${piece.task}`);
    s.waiting.set(`${piece.task}:${piece.seq}`, piece);
    for (;;) {
      const task = s.plan.tasks[s.at];
      const key = `${task}:${s.seq}`;
      const next = task === undefined ? undefined : s.waiting.get(key);
      if (!next) break;
      s.waiting.delete(key);
      this.ready.push({ state: s, piece: next, base: s.taskBase });
      this.readyLines += next.counts.lines;
      if (next.last) {
        s.at++;
        s.seq = 0;
        s.taskBase += next.reach.line;
      } else s.seq++;
    }
    if (this.readyLines >= this.batchLines) await this.flush();
  }

  /**
   * Commits every piece that is ready, in transactions of at most maxLines
   * lines when the store sets a bound (a piece larger than that alone in one):
   * a stream's pieces stay in order, each with its checkpoint.
   */
  async flush(): Promise<void> {
    const most = this.maxLines ?? Infinity;
    while (this.ready.length) {
      let n = 0;
      let lines = 0;
      while (n < this.ready.length && (n === 0 || lines + this.ready[n]!.piece.counts.lines <= most)) lines += this.ready[n++]!.piece.counts.lines;
      const take = this.ready.splice(0, n);
      this.readyLines -= lines;
      await this.commitPieces(take);
    }
  }

  private async commitPieces(ready: Ready[]): Promise<void> {
    const out: PreparedStream[] = ready.map(({ state, piece, base }) => ({
      stream: state.plan.stream,
      blocks: piece.blocks,
      unparsed: piece.unparsed.map((u) => ({ ...u, line: base + u.line })),
      checkpoint: checkpointAt(state.plan.stream.key, { ...piece.reach, line: base + piece.reach.line }, state.plan.file),
    }));
    const r = await this.commit(out);
    this.stored += r.events;
  }

  /** Every planned task of every stream has been committed. */
  get complete(): boolean {
    return this.ready.length === 0 && this.states.every((s) => s.at >= s.plan.tasks.length);
  }
}
