/**
 * Which stream a file's bytes belong to. A file is identified by the
 * fingerprint of its first line (file-identity.ts) together with the device
 * and inode it was last read through:
 *
 * - a renamed file keeps its inode and fingerprint: the same stream, resumed;
 * - a copy (copytruncate's `app.log.1`) has another inode but the same first
 *   line and at least the bytes already read: the same stream, resumed at the
 *   checkpoint, so the lines written between the last read and the copy are
 *   read once, from the copy;
 * - a file that shrank below its checkpoint, or whose first line changed, or
 *   whose bytes just before the checkpoint are not the ones read there (cut and
 *   written again past it while no one was reading), is new content: a new stream.
 *
 * When new content starts with the very same first line as the old (a log
 * that opens with a fixed banner), the fingerprint alone would resume the old
 * stream and the store's de-duplication would swallow the new lines. Such
 * content gets the next *generation* of the fingerprint: its own stream key.
 * Generation 0 is the plain fingerprint, the key one-shot `ingest` uses too.
 *
 * chooseGeneration is pure: resolveStream fetches the candidates' checkpoints,
 * identifyLogFile reads an open file's head and tails for it.
 */
import { createHash } from 'node:crypto';
import type { Checkpoint } from '../../model/stream.js';
import type { EventStore } from '../../store/store.js';
import { tailDigest } from './file-identity.js';
import { inspectLogFile, type LogFileHead } from './log-file-head.js';

/** More generations than this for one first line is not a log file any more; the last one is reused. */
export const MAX_GENERATIONS = 1000;

export function generationKey(fingerprint: string, gen: number): string {
  if (gen === 0) return fingerprint;
  return createHash('sha256').update(`${fingerprint}#${gen}`).digest('hex').slice(0, 16);
}

export interface Candidate {
  gen: number;
  checkpoint: Checkpoint;
}

export interface FileId {
  dev: number;
  ino: number;
  size: number;
  /** The file's tail digest at an offset (file-identity.ts tailDigest); without it, tails are not compared. */
  tailAt?: (offset: number) => string | null;
}

/** Can the file hold what the checkpoint covers: long enough, and the same bytes just before it (when both are known)? */
function holds(c: Candidate, file: FileId): boolean {
  if (c.checkpoint.offset > file.size) return false;
  const tail = c.checkpoint.tail ?? null;
  return tail === null || !file.tailAt || file.tailAt(c.checkpoint.offset) === tail;
}

export interface Choice {
  gen: number;
  /** True when the stream exists and reading resumes at its checkpoint. */
  resume: boolean;
}

/**
 * Picks the generation for a file whose first line has the candidates' fingerprint.
 * `exclude` is a generation that must not be resumed (the one just found truncated or rewritten).
 */
export function chooseGeneration(candidates: readonly Candidate[], file: FileId, exclude?: number): Choice {
  const next = candidates.reduce((m, c) => Math.max(m, c.gen + 1), 0);
  const usable = candidates.filter((c) => c.gen !== exclude);
  // Read through this very inode before: the newest generation read through it is the current content,
  // unless the file no longer holds what was read (truncated, or rewritten past it, while we were away).
  const same = usable.filter((c) => c.checkpoint.dev === file.dev && c.checkpoint.ino === file.ino);
  if (same.length) {
    const top = same.reduce((a, b) => (b.gen > a.gen ? b : a));
    if (holds(top, file)) return { gen: top.gen, resume: true };
    return { gen: Math.min(next, MAX_GENERATIONS), resume: false };
  }
  // Another inode with the same first line: a copy or a move of content already (partly) read.
  // The copy holds at least the bytes read; among several, the one that explains the most of it.
  const fits = usable.filter((c) => holds(c, file));
  if (fits.length) {
    const best = fits.reduce((a, b) => (b.checkpoint.offset > a.checkpoint.offset || (b.checkpoint.offset === a.checkpoint.offset && b.gen > a.gen) ? b : a));
    return { gen: best.gen, resume: true };
  }
  return { gen: Math.min(next, MAX_GENERATIONS), resume: false };
}

/** The stream a file with this first line belongs to: its generations' checkpoints from the store, then the choice. */
export async function resolveStream(store: Pick<EventStore, 'checkpoint'>, fingerprint: string, file: FileId, exclude?: number): Promise<Choice & { key: string }> {
  const candidates: Candidate[] = [];
  for (let gen = 0; gen < MAX_GENERATIONS; gen++) {
    const checkpoint = await store.checkpoint(generationKey(fingerprint, gen));
    if (!checkpoint) break;
    candidates.push({ gen, checkpoint });
  }
  const choice = chooseGeneration(candidates, file, exclude);
  return { ...choice, key: generationKey(fingerprint, choice.gen) };
}

/** An open log file's head and its stream (the generation whose checkpoint the file still holds), or why it is skipped. */
export async function identifyLogFile(store: Pick<EventStore, 'checkpoint'>, fd: number, final: boolean): Promise<{ head: Extract<LogFileHead, { ok: true }>; key: string } | { reason: string }> {
  const head = inspectLogFile(fd, final);
  if (!head.ok) return { reason: head.reason };
  const { dev, ino, size } = head.stat;
  const { key } = await resolveStream(store, head.key, { dev, ino, size, tailAt: (offset) => tailDigest(fd, offset) });
  return { head, key };
}
