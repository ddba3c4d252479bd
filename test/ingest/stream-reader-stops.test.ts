/**
 * StreamReader where reading stops short or lines are turned away: a range
 * of a file read up to an end offset and the rest read on from where it
 * stopped (the bulk path's parser threads), a gate of journald entries stored
 * by an earlier run, the counts of odd lines, a stream that may hold one
 * source only, and what the end of a stream adds.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cursorOf, JournalMarks } from '../../src/ingest/journal-marks.js';
import { StreamReader } from '../../src/ingest/stream-reader.js';
import { DEFAULT_REDACTOR } from '../../src/redact/redactor.js';
import type { StreamInfo } from '../../src/model/stream.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { auditEntry } from '../fixtures/audit-lines.js';
import { dockerLogText } from '../fixtures/docker-dir.js';
import { cpCorpus, cpInfo, dockerInfo, offsetOf, read, T0, totals, type Read } from '../fixtures/reader-corpora.js';
import { journalLine } from '../ingest-push/journal-lines.js';

const stdin: StreamInfo = { key: 'd1a9d1a9d1a9d1a9', kind: 'stdin', path: null, container: null, source: null };

describe('a range read up to an end offset, and the rest read on from where it stopped', () => {
  let bytes: Buffer;
  let whole: Read;
  let starts: number[];
  beforeAll(async () => {
    bytes = await cpCorpus();
    whole = read(cpInfo, bytes, []);
    starts = [0, ...[...bytes.keys()].filter((i) => bytes[i] === 10 && i + 1 < bytes.length).map((i) => i + 1)];
  });

  it('for every end offset: the range takes the lines that start before it, the next one every line after, none twice', () => {
    for (let end = 0; end <= bytes.length; end++) {
      const next = starts.findIndex((s) => s >= end);
      const stop = next < 0 ? bytes.length : starts[next]!;
      for (const cuts of [[], [end], [stop]]) {
        const range = read(cpInfo, bytes, cuts, { end }, false);
        const t = range.takes[0]!;
        expect({ offset: t.checkpoint.offset, line: t.checkpoint.line, pending: t.pendingBytes }, `end ${end}, cut at ${cuts}`).toEqual({ offset: stop, line: next < 0 ? starts.length : next, pending: 0 });
        expect(range.events).toEqual(whole.events.filter((e) => offsetOf(e) < stop));
        expect(t.counts.lines).toBe(next < 0 ? starts.length : next);
        const rest = read(cpInfo, bytes, [], { start: { offset: t.checkpoint.offset, line: t.checkpoint.line } });
        expect([...range.events, ...rest.events]).toEqual(whole.events);
        expect({ offset: rest.takes[0]!.checkpoint.offset, line: rest.takes[0]!.checkpoint.line }).toEqual({ offset: bytes.length, line: starts.length });
      }
    }
  });

  it('once stopped it reads nothing more, and the end of the stream adds nothing', () => {
    const r = new StreamReader(cpInfo, { maxLine: 1 << 20, redactor: DEFAULT_REDACTOR, end: starts[2]! });
    r.push(bytes);
    expect(r.stopped).toBe(true);
    expect(r.consumed).toBe(starts[2]);
    r.take();
    r.push(Buffer.from('{"level":30,"time":1,"msg":"more"}\n'));
    r.end();
    const after = r.take();
    expect(after.events).toEqual([]);
    expect(after.counts.lines).toBe(0);
    expect(after.checkpoint.offset).toBe(starts[2]);
  });
});

describe('a gate: journald entries an earlier run stored are counted, not read again', () => {
  let store: SqliteStore;
  afterEach(async () => store?.close());
  const lines = Array.from({ length: 8 }, (_, n) => journalLine({ time: T0 + n, message: `step ${n}`, unit: 'worker.service' }) + '\n');

  async function run(key: string, text: string, cuts: number[]): Promise<Read> {
    const marks = new JournalMarks(store);
    const bytes = Buffer.from(text);
    await marks.prepare(bytes);
    const r = read({ ...stdin, key }, bytes, cuts, { gate: marks });
    for (const t of r.takes) await store.writeBatch({ streams: [{ stream: { ...stdin, key }, events: t.events, unparsed: t.unparsed, checkpoint: t.checkpoint }, ...t.gated] });
    return r;
  }

  it('at every split of a restarted pipe: the same entries skipped, the same read, the mark where the last one stands', async () => {
    const again = lines.slice(2).join('');
    for (let k = 0; k <= again.length; k += 61) {
      store = new SqliteStore(':memory:');
      const first = await run('aaaaaaaaaaaaaaaa', lines.slice(0, 5).join(''), []);
      expect(first.events.map((e) => e.message)).toEqual(['step 0', 'step 1', 'step 2', 'step 3', 'step 4']);
      const second = await run('bbbbbbbbbbbbbbbb', again, [k]);
      expect(totals(second.takes), `split at ${k}`).toMatchObject({ lines: 6, skipped: 3, 'parsed.cp': 0 });
      expect(second.events.map((e) => e.message)).toEqual(['step 5', 'step 6', 'step 7']);
      // The sequence's mark moves to the place after the last entry read, with the take that covers it.
      expect(second.takes.flatMap((t) => t.gated).at(-1)!.checkpoint.offset).toBe(cursorOf(lines[7]!)!.at + 1);
      const third = await run('cccccccccccccccc', lines.join(''), []);
      expect(totals(third.takes)).toMatchObject({ lines: 8, skipped: 8 });
      expect(third.events).toEqual([]);
      await store.close();
    }
  });
});

describe('counts', () => {
  it('lines, bytes, invalid UTF-8, over the cap, parsed and unparsed: the same however the stream is cut', async () => {
    const cp = await cpCorpus();
    const odd = Buffer.concat([cp, Buffer.from('\n'), Buffer.from([0x63, 0x61, 0x66, 0xff, 0x20, 0x61, 0x75, 0x20, 0x6c, 0x61, 0x69, 0x74, 10]), Buffer.from(`${'x'.repeat(5000)}\nplain words\n${auditEntry({ correlationId: 'ab12cd34ef56ab78', time: T0 })}`)]);
    const cpLines = cp.filter((b) => b === 10).length;
    const expected = { lines: cpLines + 5, bytes: odd.length, lineBytes: odd.length, invalidUtf8: 1, truncated: 1, skipped: 0, 'parsed.cp': cpLines, 'parsed.audit': 1, 'parsed.container': 0, unparsed: 3, checkpointUnparsed: 3, checkpointInvalid: 1, checkpointTruncated: 1 };
    const whole = read(cpInfo, odd, [], { maxLine: 4096 });
    expect(totals(whole.takes)).toEqual(expected);
    expect(whole.unparsed.map((u) => [u.line, u.reason])).toEqual([
      [cpLines + 2, 'not JSON and not a PostgreSQL log line (invalid UTF-8)'],
      [cpLines + 3, 'line of 5000 bytes is over the length cap; kept truncated'],
      [cpLines + 4, 'not JSON and not a PostgreSQL log line'],
    ]);
    for (let k = cp.length - 40; k <= odd.length; k++) expect(totals(read(cpInfo, odd, [k], { maxLine: 4096 }).takes), `split at ${k}`).toEqual(expected);
  });
});

describe('a stream that may hold one source', () => {
  it('keeps that source and turns the others into unparsed lines, in offset order; lastTime is that of what it keeps', async () => {
    const cp = await cpCorpus();
    const audit = auditEntry({ correlationId: 'ab12cd34ef56ab78', time: T0 - 60_000 });
    const body = Buffer.concat([Buffer.from(audit + '\n'), cp]);
    const r = new StreamReader(stdin, { maxLine: 1 << 20, redactor: DEFAULT_REDACTOR, only: { source: 'audit', at: 1234 } });
    r.push(body);
    r.end();
    const t = r.take();
    expect(t.events.map((e) => e.source)).toEqual(['audit']);
    expect(t.checkpoint.lastTime).toBe(T0 - 60_000);
    expect(t.unparsed.length).toBe(cp.filter((b) => b === 10).length);
    expect(t.checkpoint.unparsed).toBe(t.unparsed.length);
    expect(t.unparsed.map((u) => u.offset)).toEqual([...t.unparsed.map((u) => u.offset)].sort((a, b) => a - b));
    for (const u of t.unparsed) expect(u).toMatchObject({ reason: 'a cp line, but the batch was sent as kind=audit', line: 0, path: null, time: 1234 });
    expect(t.counts.parsed).toEqual({ cp: 0, container: 0, audit: 1 });
  });
});

describe('the end of a stream', () => {
  it('takes a Docker line whose last part never came as it is, and its time counts for lastTime', () => {
    const done = dockerLogText([{ text: 'ready', time: T0 }]);
    const torn = dockerLogText([{ text: 'y'.repeat(17_000), time: T0 + 5000 }]);
    const bytes = Buffer.from(done + torn.slice(0, torn.indexOf('\n') + 1));
    const r = new StreamReader(dockerInfo, { maxLine: 1 << 20, redactor: DEFAULT_REDACTOR });
    r.push(bytes);
    const held = r.take();
    expect(held.events.map((e) => e.message)).toEqual(['ready']);
    expect(held.checkpoint).toMatchObject({ offset: done.length, line: 1, lastTime: T0 });
    expect(held.pendingBytes).toBe(bytes.length - done.length);
    r.end();
    const last = r.take();
    expect(last.events.map((e) => [e.time, e.fields._unfinished])).toEqual([[T0 + 5000, true]]);
    expect(last.checkpoint).toMatchObject({ offset: bytes.length, line: 2, lastTime: T0 + 5000 });
    expect(last.pendingBytes).toBe(0);
  });
});
