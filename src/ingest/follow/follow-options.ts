/** The follower's settings, totals and callbacks. */
import { DEFAULT_INGEST, type IngestOptions } from '../stream-ingester.js';

export interface FollowOptions extends IngestOptions {
  /** Pause between cycles (ms). */
  pollMs: number;
  /** A drained file that is rotated away or deleted is closed after this long without change (ms). */
  idleMs: number;
  /** Bytes per read. */
  readChunk: number;
  /** At most this many bytes of one file per cycle, so one busy file does not starve the others. */
  cycleBytes: number;
}

export const DEFAULT_FOLLOW: FollowOptions = { ...DEFAULT_INGEST, pollMs: 250, idleMs: 5000, readChunk: 1024 * 1024, cycleBytes: 64 * 1024 * 1024 };

export interface FollowTotals {
  lines: number;
  bytes: number;
  stored: number;
  unparsed: number;
  duplicates: number;
  /** Files found truncated or rewritten and read again from the start as new streams. */
  restarts: number;
  commits: number;
}

export interface FollowHooks {
  /** A path that cannot be read (reported once per path and reason). */
  onProblem?: (path: string, reason: string) => void;
  /** A file found truncated or rewritten. */
  onRestart?: (path: string | null, reason: string) => void;
}
