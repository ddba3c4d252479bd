/**
 * journald entries a restarted pipe delivers again: per journal sequence the
 * next place not stored is committed with the entries, on a real SQLite
 * store, through the real StreamIngester.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { cursorOf, JournalMarks, markStream } from '../../src/ingest/journal-marks.js';
import { DEFAULT_INGEST, StreamIngester } from '../../src/ingest/stream-ingester.js';
import { namedStreamKey } from '../../src/ingest/readers/file-identity.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { tempDir, type TempDir } from '../fixtures/temp-dir.js';
import { journalLine } from '../ingest-push/journal-lines.js';

const T = Date.UTC(2026, 10, 24, 21, 0, 0);
const cid = (n: number) => (0xbcd0000000000000n + BigInt(n)).toString(16);
// Fixed once: a re-delivered entry is the very same line.
const LINES = Array.from({ length: 12 }, (_, n) => journalLine({ time: T + n, message: JSON.stringify({ level: 30, time: T + n, msg: `step ${n}`, correlation_id: cid(n) }), unit: 'worker.service' }));
const SEQ = cursorOf(LINES[0]!)!.seq;

let tmp: TempDir;
let store: SqliteStore;
afterEach(async () => {
  await store?.close();
  tmp?.remove();
});

function open(): SqliteStore {
  tmp = tempDir('diag-marks-');
  store = new SqliteStore(tmp.file('diag.sqlite'));
  return store;
}

/** One run of a pipe: its own stream (a new first line), the given entries, committed at the end. */
async function run(name: string, lines: string[]): Promise<{ stored: number; duplicates: number }> {
  const marks = new JournalMarks(store);
  const ing = await StreamIngester.open(store, { key: namedStreamKey('test', name), kind: 'stdin', path: null, container: null, source: null }, DEFAULT_INGEST, undefined, marks);
  const bytes = Buffer.from(lines.map((l) => l + '\n').join(''));
  // In two chunks cut inside a cursor: the overlap still sees its sequence.
  const cut = bytes.indexOf('"__CURSOR"') + 20;
  for (const part of [bytes.subarray(0, cut), bytes.subarray(cut)]) {
    await marks.prepare(part);
    await ing.push(part);
  }
  await ing.flush(true);
  return { stored: ing.report.stored, duplicates: ing.report.duplicates };
}

describe('cursorOf', () => {
  it('reads the sequence and the place (hex) of a journalctl cursor, and nothing from text that only quotes one', () => {
    expect(cursorOf('{"__CURSOR":"s=9f2c;i=1a2c;b=0d;m=3e8;t=6;x=4d","MESSAGE":"x"}')).toEqual({ seq: '9f2c', at: 0x1a2c });
    expect(cursorOf('{"MESSAGE":"copied: \\"__CURSOR\\":\\"s=9f2c;i=ff;\\""}')).toBeNull();
    expect(cursorOf('{"level":30,"msg":"no cursor"}')).toBeNull();
  });
});

describe('JournalMarks', () => {
  it('a second run printing the last entries again stores only the new ones; the place is kept per sequence', async () => {
    open();
    expect(await run('first', LINES.slice(0, 8))).toEqual({ stored: 8, duplicates: 0 });
    expect(await run('again', LINES.slice(3, 12))).toEqual({ stored: 4, duplicates: 5 });
    for (let n = 0; n < 12; n++) expect((await store.eventsByCid(cid(n))).length).toBe(1);
    expect((await store.checkpoint(markStream(SEQ).key))?.offset).toBe(cursorOf(LINES[11]!)!.at + 1);
    // Everything again: nothing new.
    expect(await run('third', LINES)).toEqual({ stored: 0, duplicates: 12 });
  });

  it('a commit covers only the entries before its offset: one still waiting for its other parts moves no place past it', async () => {
    open();
    const marks = new JournalMarks(store);
    await marks.prepare(Buffer.from(LINES.slice(0, 3).join('\n')));
    expect([marks.admit(LINES[0]!, 0), marks.admit(LINES[1]!, 100), marks.admit(LINES[2]!, 200)]).toEqual([true, true, true]);
    const [b] = marks.batches(200);
    expect(b!.checkpoint.offset).toBe(cursorOf(LINES[1]!)!.at + 1);
    expect(b!.events).toEqual([]);
    // The entry at 200 is covered by the next commit.
    expect(marks.batches(300)[0]!.checkpoint.offset).toBe(cursorOf(LINES[2]!)!.at + 1);
    expect(marks.batches(400)).toEqual([]);
  });

  it('a cursor cut inside its key by a chunk boundary, in chunks that hold no other, is still seen', async () => {
    open();
    expect(await run('first', LINES.slice(0, 2))).toEqual({ stored: 2, duplicates: 0 });
    const marks = new JournalMarks(store);
    const line = Buffer.from(LINES[1]! + '\n');
    const cut = line.indexOf('__CURSOR') + 4;
    // Neither part holds the whole key.
    await marks.prepare(line.subarray(0, cut));
    await marks.prepare(line.subarray(cut));
    expect(marks.admit(LINES[1]!, 0)).toBe(false);
  });

  it('lines without a cursor pass untouched', async () => {
    open();
    const marks = new JournalMarks(store);
    expect(marks.admit('{"level":30,"time":1,"msg":"plain pino"}', 0)).toBe(true);
    expect(marks.batches(100)).toEqual([]);
  });
});
