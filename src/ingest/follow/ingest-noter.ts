/**
 * Keeps a long-running ingester's note in the store it writes to
 * (ingest-note.ts), for `stats`: `wrap` returns the follow loop's options
 * with its callbacks extended to note a pause (with the error that caused
 * it), the resume (with how long it lasted) and, every half minute while it
 * writes, that it is still there; `stopped` notes the end.
 *
 * A note is written one at a time and never fails the loop: during an outage
 * it cannot be written either, and the next one says where things are.
 */
import os from 'node:os';
import type { IngestNote } from '../../model/ingest-note.js';
import type { Store } from '../../store/store.js';
import type { RunFollowOptions } from './run-follow.js';

const HEARTBEAT_MS = 30_000;

export class IngestNoter {
  private note: IngestNote;
  private writing: Promise<void> = Promise.resolve();
  private lastWrite = 0;

  /** `command`: how the ingester is named before its host and pid ("ingest --follow"). */
  constructor(
    private readonly store: Store,
    command: string,
    private readonly now: () => number = Date.now,
  ) {
    const t = now();
    this.note = { ingester: `${command} on ${os.hostname()}, pid ${process.pid}`, state: 'writing', since: t, seen: t, lastError: null };
    void this.save({});
  }

  wrap(o: RunFollowOptions): RunFollowOptions {
    const onStoreError = o.onStoreError;
    return {
      ...o,
      ...(typeof onStoreError === 'function'
        ? {
            onStoreError: (e, retryInMs) => {
              // The error that began the pause is the one kept (a cut write says more than the refusals after it).
              if (this.note.state !== 'paused') void this.save({ state: 'paused', since: this.now(), lastError: { message: e.message, at: this.now(), pausedMs: null } });
              onStoreError(e, retryInMs);
            },
          }
        : {}),
      onResume: (pausedMs) => {
        const last = this.note.lastError;
        void this.save({ state: 'writing', since: this.now(), lastError: last ? { ...last, pausedMs } : null });
        o.onResume?.(pausedMs);
      },
      onCycle: (totals, files) => {
        if (this.now() - this.lastWrite >= HEARTBEAT_MS) void this.save({});
        o.onCycle?.(totals, files);
      },
    };
  }

  /** Notes the end (before the store is closed). */
  stopped(): Promise<void> {
    return this.save({ state: 'stopped', since: this.now() });
  }

  private save(patch: Partial<IngestNote>): Promise<void> {
    this.note = { ...this.note, ...patch, seen: this.now() };
    this.lastWrite = this.note.seen;
    const n = this.note;
    this.writing = this.writing.then(() => this.store.noteIngest(n)).catch(() => undefined);
    return this.writing;
  }
}
