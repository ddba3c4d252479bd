/**
 * What the follower does with one file's bytes: attaches the file to its
 * stream (the stream it resumes, at its checkpoint, or a new generation) and
 * reads what is new into that stream's ingester, a bounded number of bytes a
 * cycle. The descriptor stays the entry's; every read goes through it, so a
 * file renamed or deleted meanwhile is still drained.
 */
import { readSync } from 'node:fs';
import type { StreamInfo } from '../../model/stream.js';
import type { Store } from '../../store/store.js';
import { readTail } from '../readers/file-identity.js';
import { resolveStream } from '../readers/stream-identity.js';
import { StreamIngester } from '../stream-ingester.js';
import { tailOf, tally, type Entry } from './follow-entry.js';
import type { FollowOptions, FollowTotals } from './follow-options.js';
import { advanced, identified } from './follow-state.js';

/** What attaching needs of the file as just observed. */
export interface Seen {
  fingerprint: string;
  size: number;
  /** The name it has now, or null when it has none (renamed away or deleted). */
  path: string | null;
}

/**
 * Finds the file's stream by its fingerprint and identity (`lookup`, the
 * store itself) and opens an ingester on it that writes through `writeTo`
 * (the store, or the store fenced by this console's lease). The entry must
 * have its descriptor open and its hit set.
 */
export async function attachStream(
  e: Entry,
  seen: Seen,
  lookup: Store,
  writeTo: Store,
  opts: FollowOptions,
  exclude: number | undefined,
  now: () => number,
): Promise<void> {
  const hit = e.hit!;
  const choice = await resolveStream(lookup, seen.fingerprint, { dev: e.s.dev, ino: e.s.ino, size: seen.size, tailAt: tailOf(e) }, exclude);
  const info: StreamInfo = {
    key: choice.key,
    kind: hit.kind,
    path: seen.path ?? hit.path,
    container: hit.container,
    source: hit.source,
  };
  const ing = await StreamIngester.open(writeTo, info, opts, { dev: e.s.dev, ino: e.s.ino, size: seen.size });
  e.ing = ing;
  e.info = info;
  e.committedLines = 0;
  e.statsBase = { lines: 0, bytes: 0, stored: 0, unparsed: 0, duplicates: 0 };
  e.s = identified(e.s, info.key, choice.gen, seen.fingerprint, ing.offset, now());
  e.tail = readTail(e.fd!, ing.offset);
  // A new generation is registered at once, so a restart finds it by this inode even before its first line.
  if (!choice.resume && choice.gen > 0) await ing.flush(false);
}

/** Reads what is new in the file, at most `budget` bytes, into its ingester through `buf`; the totals follow. */
export async function readNew(e: Entry, buf: Buffer, budget: number, now: () => number, totals: FollowTotals): Promise<void> {
  if (!e.ing || e.fd === null) return;
  while (budget > 0) {
    const n = readSync(e.fd, buf, 0, Math.min(buf.length, budget), e.s.readPos);
    if (n === 0) break;
    e.s = advanced(e.s, n, now());
    budget -= n;
    await e.ing.push(buf.subarray(0, n));
    tally(totals, e);
  }
  e.tail = readTail(e.fd, e.s.readPos);
}
