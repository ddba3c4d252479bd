import type { ContainerRef, Source } from './event.js';

/**
 * Where lines come from. A stream's `key` is its identity across renames and
 * restarts (see ingest/file-identity.ts); checkpoints hang off it.
 */
/** `journal`: no lines of its own; its checkpoint is how far a journald sequence is stored (ingest/journal-marks.ts). */
export type StreamKind = 'file' | 'docker' | 'stdin' | 'push' | 'journal';

export interface StreamInfo {
  key: string;
  kind: StreamKind;
  /** The path it was last read from (display only; identity is `key`). */
  path: string | null;
  /** For Docker json-file streams, the container the file belongs to. */
  container: ContainerRef | null;
  /** The source its lines default to when a line does not say. */
  source: Source | null;
}

/** How far a stream has been read and committed; written in the same transaction as its events. */
export interface Checkpoint {
  stream: string;
  /** Bytes consumed: everything before this offset is in the store. */
  offset: number;
  /** Lines consumed, for line numbers of later lines. */
  line: number;
  /** Device and inode the stream was last read through, to find it again after a rename. */
  dev: number | null;
  ino: number | null;
  /** Size of the file when last read (lag = size - offset). */
  size: number | null;
  /** Time of the newest line consumed (epoch ms). */
  lastTime: number | null;
  /** Lines from this stream that parsed as nothing. */
  unparsed: number;
  /** Lines whose bytes were not valid UTF-8 (decoded with replacement characters). */
  invalidUtf8: number;
  /** Lines over the length cap (kept truncated). */
  truncated: number;
  /**
   * Digest of the bytes just before `offset` as they were read (file-identity.ts),
   * or null when not known. A file cut and written again past the checkpoint while
   * no one was reading keeps its first line, inode and a size beyond `offset`, but
   * not these bytes: reading does not resume in the middle of other content.
   */
  tail?: string | null;
}

export interface StreamState extends Checkpoint {
  kind: StreamKind;
  path: string | null;
  source: Source | null;
  containerId: string | null;
  events: number;
  updatedAt: number;
}
