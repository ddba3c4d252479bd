/**
 * The few reads the follower makes besides the data itself, on descriptors:
 * opening a path only if it is still the file we mean, and the first line's
 * fingerprint. The bytes before the read position come from file-identity.ts
 * (readTail), which checkpoints digest too.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { fingerprintBytes, FINGERPRINT_BYTES } from '../readers/file-identity.js';

export type Opened = { fd: number } | { fd: null; error: string | null };

/** Opens `path` if it is still device `dev`, inode `ino` (a name can point at another file by now). */
export function openIfSame(path: string, dev: number, ino: number): Opened {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { fd: null, error: code === 'ENOENT' ? null : `cannot be read (${code ?? (err as Error).message})` };
  }
  const st = fstatSync(fd);
  if (st.dev !== dev || st.ino !== ino) {
    closeQuietly(fd);
    return { fd: null, error: null };
  }
  return { fd };
}

const head = Buffer.alloc(FINGERPRINT_BYTES);

/** Fingerprint of the first line as the file holds it now (null: no complete first line yet). */
export function fingerprintOf(fd: number): string | null {
  const n = readSync(fd, head, 0, FINGERPRINT_BYTES, 0);
  return fingerprintBytes(head.subarray(0, n));
}

export function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // already closed
  }
}
