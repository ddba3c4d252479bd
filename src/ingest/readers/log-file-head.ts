/**
 * What the first bytes of a log file say before any line is parsed: its
 * stream key (file-identity.ts), or that it is no log at all.
 */
import { fstatSync, readSync, type Stats } from 'node:fs';
import { fingerprintBytes, FINGERPRINT_BYTES } from './file-identity.js';

/** A file whose first line is a lone `{` or `[`: one JSON document over many lines (an inventory snapshot, a config), not NDJSON. */
export function isJsonDocument(head: Buffer): boolean {
  const nl = head.indexOf(10);
  const first = head.subarray(0, nl < 0 ? head.length : nl).toString('utf8').trim();
  return first === '{' || first === '[';
}

/**
 * A stream's key from its first bytes. A short stream whose only line has no
 * newline yet has none, unless it is final: then its key is the one that line
 * will have once its newline comes, so a later read resumes instead of doubling it.
 */
export function streamKey(head: Buffer, final: boolean): string | null {
  const key = fingerprintBytes(head);
  if (key || !final || head.length === 0) return key;
  return fingerprintBytes(Buffer.concat([head, Buffer.from('\n')]));
}

/** Lines of Docker's json-file format, wherever they are: their long lines come in parts. */
export function looksLikeDockerRecords(head: Buffer): boolean {
  return head.subarray(0, 8).toString('latin1') === '{"log":"';
}

export type LogFileHead = { ok: true; key: string; stat: Stats; head: Buffer } | { ok: false; reason: string };

/** What an open log file's head says: its stream key, or why it is skipped. */
export function inspectLogFile(fd: number, final: boolean): LogFileHead {
  const stat = fstatSync(fd);
  const buf = Buffer.alloc(FINGERPRINT_BYTES);
  const head = buf.subarray(0, readSync(fd, buf, 0, FINGERPRINT_BYTES, 0));
  if (isJsonDocument(head)) return { ok: false, reason: 'a pretty-printed JSON document, not a log (an inventory snapshot goes to `tellwang-diag inventory FILE`)' };
  const key = streamKey(head, final);
  if (!key) return { ok: false, reason: stat.size === 0 ? 'empty' : 'no complete first line yet (pass --final if the file is complete)' };
  return { ok: true, key, stat, head };
}

export function cannotRead(e: unknown): string {
  return `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`;
}
