/** The follower's pure core: per-file decisions and the choice of stream generation. */
import { describe, expect, it } from 'vitest';
import { advanced, decide, identified, newFileState, observed, released, type FileState, type Observation } from '../../src/ingest/follow/follow-state.js';
import { chooseGeneration, generationKey, type Candidate } from '../../src/ingest/readers/stream-identity.js';
import type { Checkpoint } from '../../src/model/stream.js';

const T = { idleMs: 1000 };

function obs(o: Partial<Observation>): Observation {
  return { size: 0, mtimeMs: 1, fingerprint: undefined, path: '/logs/app.log', live: true, docker: false, ...o };
}

function reading(readPos: number, size = readPos): FileState {
  let s = newFileState(1, 42, 0);
  s = observed(s, obs({ size }), 0);
  return identified(s, 'k0', 0, 'fp-a', readPos, 0);
}

describe('decide', () => {
  it('waits for a first line, then identifies', () => {
    const s = newFileState(1, 42, 0);
    expect(decide(s, obs({ size: 10, fingerprint: null }), 5, T)).toEqual({ do: 'wait' });
    expect(decide(s, obs({ size: 80, fingerprint: 'fp-a' }), 5, T)).toEqual({ do: 'identify' });
  });

  it('reads what is new, and only that', () => {
    expect(decide(reading(100), obs({ size: 150, mtimeMs: 2 }), 5, T)).toEqual({ do: 'read' });
    expect(decide(reading(150), obs({ size: 150 }), 5, T)).toEqual({ do: 'wait' });
  });

  it('restarts a file that shrank below what was read, or whose first line changed', () => {
    expect(decide(reading(100), obs({ size: 40, mtimeMs: 2, fingerprint: 'fp-b' }), 5, T)).toEqual({ do: 'restart', reason: 'truncated' });
    expect(decide(reading(100), obs({ size: 0, mtimeMs: 2, fingerprint: null }), 5, T)).toEqual({ do: 'restart', reason: 'truncated' });
    expect(decide(reading(100), obs({ size: 500, mtimeMs: 2, fingerprint: 'fp-b' }), 5, T)).toEqual({ do: 'restart', reason: 'rewritten' });
    // Same first line, grown: an ordinary append.
    expect(decide(reading(100), obs({ size: 500, mtimeMs: 2, fingerprint: 'fp-a' }), 5, T)).toEqual({ do: 'read' });
    // Same first line, grown past what was read, but the bytes before the read position are not the ones read: rewritten.
    expect(decide(reading(100), obs({ size: 500, mtimeMs: 2, fingerprint: 'fp-a', tailMatches: false }), 5, T)).toEqual({ do: 'restart', reason: 'rewritten' });
  });

  it('keeps a drained live file open; releases a rotated one and forgets a deleted one once idle', () => {
    const s = reading(100);
    expect(decide(s, obs({ size: 100 }), 5000, T)).toEqual({ do: 'wait' });
    expect(decide(s, obs({ size: 100, live: false, path: '/logs/app.log.1' }), 500, T)).toEqual({ do: 'wait' });
    expect(decide(s, obs({ size: 100, live: false, path: '/logs/app.log.1' }), 5000, T)).toEqual({ do: 'release', finish: false });
    expect(decide(s, obs({ size: 100, live: false, path: null }), 5000, T)).toEqual({ do: 'forget', finish: false });
    // A deleted file with unread bytes is drained first (through the open descriptor).
    expect(decide(s, obs({ size: 300, mtimeMs: 2, live: false, path: null }), 5000, T)).toEqual({ do: 'read' });
    // Docker never appends to a rotated file: its open partial records are taken as they are, once.
    expect(decide(s, obs({ size: 100, live: false, docker: true, path: '/c/x-json.log.1' }), 5000, T)).toEqual({ do: 'release', finish: true });
  });

  it('a released file is reopened only when it changes, and forgotten when it is gone', () => {
    const s = released(observed(reading(100), obs({ size: 100, live: false }), 0), false);
    expect(decide(s, obs({ size: 100, live: false }), 9000, T)).toEqual({ do: 'wait' });
    expect(decide(s, obs({ size: 120, mtimeMs: 3, live: false, fingerprint: 'fp-a' }), 9000, T)).toEqual({ do: 'identify' });
    expect(decide(s, obs({ size: 100, path: null, live: false }), 9000, T)).toEqual({ do: 'forget', finish: false });
  });

  it('reading moves the position and the idle clock', () => {
    const s = advanced(reading(100), 50, 777);
    expect(s.readPos).toBe(150);
    expect(s.changedAt).toBe(777);
  });
});

function cp(gen: number, o: Partial<Checkpoint>): Candidate {
  return { gen, checkpoint: { stream: generationKey('fp', gen), offset: 0, line: 0, dev: 1, ino: 42, size: null, lastTime: null, unparsed: 0, invalidUtf8: 0, truncated: 0, ...o } };
}

describe('chooseGeneration', () => {
  it('a file never seen starts generation 0 (the plain fingerprint, as one-shot ingest uses)', () => {
    expect(chooseGeneration([], { dev: 1, ino: 42, size: 10 })).toEqual({ gen: 0, resume: false });
    expect(generationKey('abc', 0)).toBe('abc');
    expect(generationKey('abc', 1)).not.toBe(generationKey('abc', 2));
  });

  it('the same inode resumes, unless it is now shorter than what was read', () => {
    expect(chooseGeneration([cp(0, { offset: 100 })], { dev: 1, ino: 42, size: 150 })).toEqual({ gen: 0, resume: true });
    expect(chooseGeneration([cp(0, { offset: 100 })], { dev: 1, ino: 42, size: 50 })).toEqual({ gen: 1, resume: false });
  });

  it('a copy (other inode, same first line, at least as long) resumes: copytruncate loses nothing and doubles nothing', () => {
    expect(chooseGeneration([cp(0, { offset: 100 })], { dev: 1, ino: 99, size: 180 })).toEqual({ gen: 0, resume: true });
    expect(chooseGeneration([cp(0, { offset: 100 })], { dev: 1, ino: 99, size: 20 })).toEqual({ gen: 1, resume: false });
  });

  it('new content with the very same first line gets a generation of its own', () => {
    // Truncated in place and rewritten with the same banner: the old generation is excluded.
    expect(chooseGeneration([cp(0, { offset: 100 })], { dev: 1, ino: 42, size: 300 }, 0)).toEqual({ gen: 1, resume: false });
    // After a restart the newest generation read through this inode is the current content.
    expect(chooseGeneration([cp(0, { offset: 900 }), cp(1, { offset: 40 })], { dev: 1, ino: 42, size: 60 })).toEqual({ gen: 1, resume: true });
    // A copy of the old content among several: the generation that explains the most of it.
    expect(chooseGeneration([cp(0, { offset: 900 }), cp(1, { offset: 40 })], { dev: 1, ino: 77, size: 950 })).toEqual({ gen: 0, resume: true });
  });

  it('a file whose bytes before the checkpoint are not the ones read there (rewritten while stopped) is new content, same inode or a copy', () => {
    const tails = (m: Record<number, string>) => (offset: number) => m[offset] ?? null;
    const seen = cp(0, { offset: 100, tail: 't-100' });
    expect(chooseGeneration([seen], { dev: 1, ino: 42, size: 300, tailAt: tails({ 100: 't-100' }) })).toEqual({ gen: 0, resume: true });
    expect(chooseGeneration([seen], { dev: 1, ino: 42, size: 300, tailAt: tails({ 100: 'other' }) })).toEqual({ gen: 1, resume: false });
    expect(chooseGeneration([seen], { dev: 1, ino: 77, size: 300, tailAt: tails({ 100: 'other' }) })).toEqual({ gen: 1, resume: false });
    // Two generations read through other inodes: the one whose bytes this copy still holds.
    const both = [cp(0, { offset: 100, tail: 't-100', ino: 5 }), cp(1, { offset: 80, tail: 't-80', ino: 6 })];
    expect(chooseGeneration(both, { dev: 1, ino: 77, size: 300, tailAt: tails({ 80: 't-80' }) })).toEqual({ gen: 1, resume: true });
    // A checkpoint without a tail (written before tails were kept), or a caller that cannot read the file, compares sizes only.
    expect(chooseGeneration([cp(0, { offset: 100 })], { dev: 1, ino: 42, size: 300, tailAt: tails({}) })).toEqual({ gen: 0, resume: true });
    expect(chooseGeneration([seen], { dev: 1, ino: 42, size: 300 })).toEqual({ gen: 0, resume: true });
  });
});
