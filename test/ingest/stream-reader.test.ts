/**
 * StreamReader on real lines of our formats (the cp's pino NDJSON, Docker
 * json-file records with a line split over 16 KiB while the other stream
 * writes, audit NDJSON): however the bytes are cut into chunks and takes,
 * the events, unparsed lines and checkpoints are those of one whole read,
 * and a checkpoint taken after any byte is a line start the read can resume
 * from without losing or doubling a line.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { digestTail, TAIL_BYTES } from '../../src/ingest/readers/file-identity.js';
import { corpora, offsetOf, read, reached, sameLines, totals, type Read } from '../fixtures/reader-corpora.js';

/**
 * Where a checkpoint after the first `k` bytes stands, worked out from the records themselves: after the last whole
 * line, or at the first part of a Docker line whose last part has not come yet.
 */
function expectedAt(bytes: Buffer, k: number): { offset: number; line: number } {
  let start = 0;
  let line = 0;
  const open = new Map<string, { offset: number; line: number }>();
  for (let nl = bytes.indexOf(10); nl >= 0 && nl < k; nl = bytes.indexOf(10, start)) {
    const text = bytes.toString('utf8', start, nl);
    line++;
    if (text.startsWith('{"log":')) {
      const rec = JSON.parse(text) as { log: string; stream: string };
      if (!rec.log.endsWith('\n')) {
        if (!open.has(rec.stream)) open.set(rec.stream, { offset: start, line });
      } else open.delete(rec.stream);
    }
    start = nl + 1;
  }
  const first = [...open.values()].sort((a, b) => a.offset - b.offset)[0];
  return first ? { offset: first.offset, line: first.line - 1 } : { offset: start, line };
}

function tailAt(bytes: Buffer, offset: number): string | null {
  return offset === 0 ? null : digestTail(bytes.subarray(Math.max(0, offset - TAIL_BYTES), offset));
}

describe.each(corpora)('StreamReader on %s', (_name, info, make) => {
  let bytes: Buffer;
  let whole: Read;
  beforeAll(async () => {
    bytes = await make();
    whole = read(info, bytes, []);
  });

  it('reads every line of the whole stream, and its checkpoint is the end', () => {
    expect(whole.events.length).toBeGreaterThanOrEqual(3);
    expect(whole.unparsed).toEqual([]);
    const [t] = whole.takes;
    expect(t!.checkpoint.offset).toBe(bytes.length);
    const newlines = bytes.filter((b) => b === 10).length;
    expect(t!.checkpoint.line).toBe(bytes.at(-1) === 10 ? newlines : newlines + 1);
    expect(t!.checkpoint.tail).toBe(tailAt(bytes, bytes.length));
    expect(t!.checkpoint.lastTime).toBe(Math.max(...whole.events.map((e) => e.time)));
    expect(t!.counts.bytes).toBe(bytes.length);
    expect(t!.pendingBytes).toBe(0);
  });

  it('split at every byte offset: the same events, unparsed lines and checkpoint; the first take stops at a line it can resume from', () => {
    for (let k = 0; k <= bytes.length; k++) {
      const split = read(info, bytes, [k]);
      expect(split.events, `split at ${k}`).toEqual(whole.events);
      expect(split.unparsed).toEqual(whole.unparsed);
      const last = split.takes.at(-1)!;
      expect(reached(last), `split at ${k}`).toEqual(reached(whole.takes[0]!));
      expect(totals(split.takes)).toEqual(totals(whole.takes));
      if (k === 0 || k === bytes.length) continue;
      const mid = split.takes[0]!;
      const at = expectedAt(bytes, k);
      expect({ offset: mid.checkpoint.offset, line: mid.checkpoint.line }, `split at ${k}`).toEqual(at);
      expect(mid.pendingBytes).toBe(k - at.offset);
      // The bytes before the checkpoint are known where whole lines end (a held Docker line starts before that).
      const lineEnd = bytes.lastIndexOf(10, k - 1) + 1;
      expect(mid.checkpoint.tail, `split at ${k}`).toBe(at.offset === lineEnd ? tailAt(bytes, at.offset) : null);
      for (const e of last.events) expect(offsetOf(e)).toBeGreaterThanOrEqual(at.offset);
      // Resuming from the checkpoint reads the rest: nothing lost. A line taken already although it began after the
      // checkpoint (the other stream's, while a Docker line was open) is read again under the same id: stored once.
      const resumed = read(info, bytes, [], { start: { offset: at.offset, line: at.line } });
      expect(resumed.events).toEqual(whole.events.filter((e) => offsetOf(e) >= at.offset));
      for (const e of mid.events) if (offsetOf(e) >= at.offset) expect(resumed.events).toContainEqual(e);
      expect([...sameLines(mid.unparsed), ...resumed.unparsed]).toEqual(whole.unparsed);
      expect(resumed.takes[0]!.checkpoint.line).toBe(whole.takes[0]!.checkpoint.line);
    }
  });

  it('in 1-byte chunks, taken once or after every byte: the same events, unparsed lines and checkpoints', () => {
    const cuts = [...bytes.keys()].slice(1);
    const once = read(info, bytes, cuts, {}, false);
    expect(once.events).toEqual(whole.events);
    expect(once.unparsed).toEqual(whole.unparsed);
    expect(once.takes.at(-1)!.checkpoint).toEqual(whole.takes[0]!.checkpoint);
    const each = read(info, bytes, cuts, {}, true);
    expect(each.events).toEqual(whole.events);
    expect(each.unparsed).toEqual(whole.unparsed);
    expect(totals(each.takes)).toEqual(totals(whole.takes));
    expect(reached(each.takes.at(-1)!)).toEqual(reached(whole.takes[0]!));
    each.takes.slice(0, -1).forEach((t, i) => expect({ offset: t.checkpoint.offset, line: t.checkpoint.line }, `after byte ${i + 1}`).toEqual(expectedAt(bytes, i + 1)));
  });
});
