/**
 * How far behind the store is on one stream: the bytes of its file not read
 * yet — the file's size now, when its path still leads to the same file
 * (device and inode), less the stream's offset. A file gone or replaced keeps
 * the size it had when last read. The one definition of lag for the CLI's
 * stats, GET /v1/stats and the ingest check of /diag.
 */
import { statSync } from 'node:fs';
import type { StreamState } from '../../model/stream.js';

export interface StreamLag {
  stream: StreamState;
  /** The file's size now when the path still names the same file, else its size when last read. */
  size: number | null;
  /** Bytes not read yet; null when the stream has no size (pushed batches, stdin). */
  lag: number | null;
}

/** The stream's lag, its file looked at now. */
export function streamLag(s: StreamState): StreamLag {
  let size = s.size;
  if (s.path && (s.kind === 'file' || s.kind === 'docker')) {
    try {
      const st = statSync(s.path);
      if (s.dev === null || (st.dev === s.dev && st.ino === s.ino)) size = st.size;
    } catch {
      // gone: the size when last read stands
    }
  }
  return { stream: s, size, lag: size === null ? null : Math.max(0, size - s.offset) };
}
