/**
 * One file the follower knows, and the reads that describe it: how it looks
 * now (through its open descriptor, so a renamed or deleted file is still
 * seen), the tail digests its checkpoints carry, and what its ingester did
 * since the totals were last brought up to date.
 */
import { fstatSync } from 'node:fs';
import type { StreamInfo } from '../../model/stream.js';
import { readTail, tailDigest } from '../readers/file-identity.js';
import type { StreamIngester } from '../stream-ingester.js';
import { fingerprintOf } from './file-reads.js';
import type { FollowTotals } from './follow-options.js';
import { newFileState, type FileState, type Observation } from './follow-state.js';
import type { Hit } from './follow-targets.js';

export interface Entry {
  s: FileState;
  fd: number | null;
  ing: StreamIngester | null;
  /** The stream the ingester writes; its path follows renames (shown in stats and unparsed lines). */
  info: StreamInfo | null;
  hit: Hit | null;
  /** The last bytes before the read position, as read: a file rewritten under us no longer has them there. */
  tail: Buffer | null;
  /** ing.report.lines at its last commit. */
  committedLines: number;
  statsBase: { lines: number; bytes: number; stored: number; unparsed: number; duplicates: number };
}

export function newEntry(hit: Hit, now: number): Entry {
  return { s: newFileState(hit.dev, hit.ino, now), fd: null, ing: null, info: null, hit, tail: null, committedLines: 0, statsBase: { lines: 0, bytes: 0, stored: 0, unparsed: 0, duplicates: 0 } };
}

/** The tail digest of the entry's file at an offset, through its descriptor while one is open. */
export function tailOf(e: Entry): (offset: number) => string | null {
  return (offset) => (e.fd !== null ? tailDigest(e.fd, offset) : null);
}

/**
 * What the file looks like now, through its descriptor when one is open;
 * `open` opens it when needed (false: it cannot be, and null is returned).
 */
export function observeEntry(e: Entry, hit: Hit | null, open: (e: Entry, hit: Hit) => boolean): Observation | null {
  let size: number;
  let mtimeMs: number;
  if (e.fd !== null) {
    const st = fstatSync(e.fd);
    size = st.size;
    mtimeMs = st.mtimeMs;
  } else if (hit) {
    size = hit.size;
    mtimeMs = hit.mtimeMs;
  } else {
    return { size: e.s.size, mtimeMs: e.s.mtimeMs, fingerprint: undefined, path: null, live: false, docker: false };
  }
  const changed = size !== e.s.size || mtimeMs !== e.s.mtimeMs;
  let fingerprint: string | null | undefined;
  if (changed || e.s.key === null) {
    if (e.fd === null) {
      if (!hit || !open(e, hit)) return null;
    }
    fingerprint = fingerprintOf(e.fd!);
  }
  let tailMatches: boolean | undefined;
  if (changed && e.tail && e.fd !== null && e.s.key !== null && size >= e.s.readPos) {
    const now = readTail(e.fd, e.s.readPos, e.tail.length);
    tailMatches = now.equals(e.tail);
  }
  return { size, mtimeMs, fingerprint, tailMatches, path: hit?.path ?? null, live: hit?.live ?? false, docker: (hit ?? e.hit)?.kind === 'docker' };
}

/** Adds what the entry's ingester did since last time to the totals. */
export function tally(totals: FollowTotals, e: Entry): void {
  const r = e.ing?.report;
  if (!r) return;
  const b = e.statsBase;
  totals.lines += r.lines - b.lines;
  totals.bytes += r.bytes - b.bytes;
  totals.stored += r.stored - b.stored;
  totals.unparsed += r.unparsed - b.unparsed;
  totals.duplicates += r.duplicates - b.duplicates;
  e.statsBase = { lines: r.lines, bytes: r.bytes, stored: r.stored, unparsed: r.unparsed, duplicates: r.duplicates };
}
