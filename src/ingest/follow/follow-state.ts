/**
 * The follower's core, as a pure state machine: for one file (one device +
 * inode), what it knows, what it sees now, and what to do next. No I/O: the
 * follower (follower.ts) observes, asks `decide`, acts, and reports back with
 * the `after…` transitions. Unit tests drive it with plain objects.
 *
 *                 ┌──────────── fingerprint null (no first line yet) ─┐
 *   new file ──▶ unidentified ── fingerprint ──▶ reading ◀───────────┘
 *                                  ▲  │  size > readPos: read
 *            shrank / first line   │  │  drained: idle
 *            changed: restart ─────┘  │  drained, idle, not the live name: release (close fd)
 *                                     │  drained, idle, no name at all (deleted / moved away): forget
 */

export interface FileState {
  /** `<dev>:<ino>` */
  id: string;
  dev: number;
  ino: number;
  /** Stream key once identified; null while the file has no complete first line. */
  key: string | null;
  /** Generation of the fingerprint the key stands for (stream-identity.ts). */
  gen: number;
  /** Fingerprint of the first line the key was derived from. */
  fingerprint: string | null;
  /** Next byte to read: everything before it has been handed to the parser. */
  readPos: number;
  /** Size and mtime at the last observation. */
  size: number;
  mtimeMs: number;
  /** When the file last grew, changed or was read (ms). */
  changedAt: number;
  /** The descriptor was closed after the file was drained; it is reopened when the file changes. */
  released: boolean;
  /** A Docker file past rotation whose open partial records were taken as they are. */
  finished: boolean;
}

export interface Observation {
  size: number;
  mtimeMs: number;
  /** Fingerprint of the first line as it is now; undefined when not re-read this time (unchanged file). */
  fingerprint: string | null | undefined;
  /**
   * Whether the bytes just before the read position are still the ones read
   * there; false when the file was cut and written again past that point
   * between two looks (with the same first line); undefined when not checked.
   */
  tailMatches?: boolean;
  /** A watched path that points at this file now, or null (deleted, or moved out of sight). */
  path: string | null;
  /** The path is a live log name (not a rotated sibling): it may grow at any time. */
  live: boolean;
  /** Docker json-file: nothing is appended to a rotated file, so its open partial records can be closed. */
  docker: boolean;
}

export type Decision =
  | { do: 'wait' }
  | { do: 'identify' }
  | { do: 'read' }
  | { do: 'restart'; reason: 'truncated' | 'rewritten' }
  | { do: 'release'; finish: boolean }
  | { do: 'forget'; finish: boolean };

export interface Timing {
  /** A drained file that is not live is closed after this long without change (ms). */
  idleMs: number;
}

export function newFileState(dev: number, ino: number, now: number): FileState {
  return { id: `${dev}:${ino}`, dev, ino, key: null, gen: 0, fingerprint: null, readPos: 0, size: 0, mtimeMs: 0, changedAt: now, released: false, finished: false };
}

export function decide(s: FileState, o: Observation, now: number, t: Timing): Decision {
  const changed = o.size !== s.size || o.mtimeMs !== s.mtimeMs;
  if (s.released) {
    if (!o.path) return { do: 'forget', finish: false };
    if (!changed) return { do: 'wait' };
  }
  if (s.key === null || s.released) {
    if (o.fingerprint) return { do: 'identify' };
    // Still no complete first line.
    if (!o.path && now - s.changedAt >= t.idleMs) return { do: 'forget', finish: false };
    return { do: 'wait' };
  }
  if (o.size < s.readPos) return { do: 'restart', reason: 'truncated' };
  if (o.fingerprint !== undefined && o.fingerprint !== s.fingerprint) {
    // A file cut to less than its first line shows no fingerprint: truncated (seen above if it shrank below readPos).
    return o.fingerprint === null ? { do: 'restart', reason: 'truncated' } : { do: 'restart', reason: 'rewritten' };
  }
  if (o.tailMatches === false) return { do: 'restart', reason: 'rewritten' };
  if (o.size > s.readPos) return { do: 'read' };
  if (now - s.changedAt < t.idleMs || changed) return { do: 'wait' };
  const finish = o.docker && !o.live && !s.finished;
  if (!o.path) return { do: 'forget', finish };
  if (!o.live) return { do: 'release', finish };
  return { do: 'wait' };
}

/** After observing: remember what was seen (and when it last changed). */
export function observed(s: FileState, o: Observation, now: number): FileState {
  const changed = o.size !== s.size || o.mtimeMs !== s.mtimeMs;
  return { ...s, size: o.size, mtimeMs: o.mtimeMs, changedAt: changed ? now : s.changedAt };
}

/** After identifying: the stream, and where reading resumes. */
export function identified(s: FileState, key: string, gen: number, fingerprint: string, readPos: number, now: number): FileState {
  return { ...s, key, gen, fingerprint, readPos, released: false, finished: false, changedAt: now };
}

/** After reading `n` bytes. */
export function advanced(s: FileState, n: number, now: number): FileState {
  return n > 0 ? { ...s, readPos: s.readPos + n, changedAt: now } : s;
}

/** After a restart (truncation, rewrite): unidentified again, from the start of the file. */
export function restarted(s: FileState, now: number): FileState {
  return { ...s, key: null, fingerprint: null, readPos: 0, released: false, finished: false, changedAt: now };
}

export function released(s: FileState, finished: boolean): FileState {
  return { ...s, released: true, finished: s.finished || finished };
}
