/**
 * A log file's identity, independent of its name: a fingerprint of its first
 * line (up to 1 KiB). A renamed file and a rotated copy keep it, so reading
 * resumes at the checkpoint instead of starting over; a truncated or new file
 * gets a new one. Device and inode are kept beside it to find the stream
 * again quickly and to notice truncation in place.
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';

export const FINGERPRINT_BYTES = 1024;

/** The fingerprint of a file's first line, or null while the file has no complete first line (and is shorter than 1 KiB). */
export function fingerprintBytes(head: Buffer): string | null {
  const nl = head.indexOf(10);
  let basis: Buffer;
  if (nl >= 0 && nl < FINGERPRINT_BYTES) basis = head.subarray(0, nl + 1);
  else if (head.length >= FINGERPRINT_BYTES) basis = head.subarray(0, FINGERPRINT_BYTES);
  else return null;
  return createHash('sha256').update(basis).digest('hex').slice(0, 16);
}

export function fingerprintFile(path: string): string | null {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(FINGERPRINT_BYTES);
    const n = readSync(fd, head, 0, FINGERPRINT_BYTES, 0);
    return fingerprintBytes(head.subarray(0, n));
  } finally {
    closeSync(fd);
  }
}

/** How many bytes before a checkpoint its tail digest covers. */
export const TAIL_BYTES = 64;

/** Up to `n` bytes ending at `pos` of an open file (copied: the result outlives the call); fewer when the file is shorter. */
export function readTail(fd: number, pos: number, n = TAIL_BYTES): Buffer {
  const len = Math.min(n, pos);
  const b = Buffer.alloc(len);
  const got = len ? readSync(fd, b, 0, len, pos - len) : 0;
  return got === len ? b : b.subarray(0, got);
}

/** The digest a checkpoint keeps of the TAIL_BYTES bytes before its offset (fewer at the start of a stream). */
export function digestTail(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex').slice(0, 16);
}

/** Digest of up to TAIL_BYTES bytes ending at `offset` of an open file as it is now; null at offset 0 or when the file is shorter. */
export function tailDigest(fd: number, offset: number): string | null {
  const b = readTail(fd, offset);
  if (b.length === 0 || b.length < Math.min(TAIL_BYTES, offset)) return null;
  return digestTail(b);
}

/** Identity of a pushed or piped stream that has no file: a digest of a name the caller chose. */
export function namedStreamKey(kind: string, name: string): string {
  return createHash('sha256').update(`${kind}\u0000${name}`).digest('hex').slice(0, 16);
}
