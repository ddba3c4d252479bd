/**
 * journald entries delivered more than once are stored once.
 * `journalctl -o json -f` prints the last ten entries again every time it
 * starts, so a restarted `journalctl … | tellwang-diag ingest -` pipe would
 * double them: a new run is a new stream (its first line differs), and
 * byte offsets cannot tell an entry seen before.
 *
 * An entry's `__CURSOR` names its journal sequence (`s=`) and its place in it
 * (`i=`, hex, one more for each entry journald writes; journalctl prints one
 * sequence in that order). Per sequence the store keeps the next place not
 * stored yet, as the checkpoint of a stream of its own (`journal:<s>`),
 * written in the same transaction as the entries it covers. An entry before
 * that place was stored by an earlier run and is dropped as a duplicate.
 * Lines without a cursor pass untouched.
 */
import type { StreamInfo } from '../model/stream.js';
import type { EventStore, StreamBatch } from '../store/store.js';
import { namedStreamKey } from './readers/file-identity.js';
import { checkpointAt } from './stream-reader.js';

/** The cursor's sequence and place; `i` has at most 13 hex digits here so it stays an exact number. */
const CURSOR = /"__CURSOR"\s*:\s*"s=([0-9a-f]{1,64});i=([0-9a-f]{1,13});/;
const SEQUENCES = /"__CURSOR"\s*:\s*"s=([0-9a-f]{1,64});/g;
/** Bytes of one chunk scanned again with the next, so a cursor cut by a chunk boundary is still seen whole. */
const OVERLAP = 160;

export function cursorOf(text: string): { seq: string; at: number } | null {
  if (!text.includes('"__CURSOR"')) return null;
  const m = CURSOR.exec(text);
  return m ? { seq: m[1]!, at: Number.parseInt(m[2]!, 16) } : null;
}

export function markStream(seq: string): StreamInfo {
  return { key: namedStreamKey('journal', seq), kind: 'journal', path: `journal:${seq}`, container: null, source: null };
}

export class JournalMarks {
  /** Per sequence, the next place not stored (as committed, or as this run will commit it). */
  private readonly next = new Map<string, number>();
  /** Entries let through since the last commit: where they start in the stream, and their place. */
  private admitted: { offset: number; seq: string; at: number }[] = [];
  private carry = '';

  constructor(private readonly store: Pick<EventStore, 'checkpoint'>) {}

  /** Loads the stored place of every sequence the chunk names; call before its lines are pushed. */
  async prepare(chunk: Buffer): Promise<void> {
    // Most input holds no cursor: then only a cursor cut by the boundary can match, and only the bytes
    // around it become text (a pushed body of 8 MiB is not copied into a string for nothing).
    const whole = chunk.includes('"__CURSOR"');
    const text = this.carry + chunk.toString('latin1', 0, whole ? chunk.length : Math.min(chunk.length, OVERLAP));
    this.carry = chunk.length >= OVERLAP ? chunk.toString('latin1', chunk.length - OVERLAP) : (this.carry + chunk.toString('latin1')).slice(-OVERLAP);
    for (const m of text.matchAll(SEQUENCES)) {
      const seq = m[1]!;
      if (!this.next.has(seq)) this.next.set(seq, (await this.store.checkpoint(markStream(seq).key))?.offset ?? 0);
    }
  }

  /** Whether the line at `offset` is to be read: false for an entry an earlier run stored. */
  admit(text: string, offset: number): boolean {
    const c = cursorOf(text);
    if (!c) return true;
    if (c.at < (this.next.get(c.seq) ?? 0)) return false;
    this.admitted.push({ offset, seq: c.seq, at: c.at });
    return true;
  }

  /**
   * The sequences' checkpoints for a commit of the stream's lines before
   * `offset` (an entry still waiting for its other parts starts at or after it,
   * and is not covered yet).
   */
  batches(offset: number): StreamBatch[] {
    const moved = new Map<string, number>();
    const later: typeof this.admitted = [];
    for (const a of this.admitted) {
      if (a.offset >= offset) later.push(a);
      else if (a.at + 1 > (moved.get(a.seq) ?? this.next.get(a.seq) ?? 0)) moved.set(a.seq, a.at + 1);
    }
    this.admitted = later;
    return [...moved].map(([seq, at]) => {
      this.next.set(seq, at);
      const stream = markStream(seq);
      return {
        stream,
        events: [],
        unparsed: [],
        checkpoint: checkpointAt(stream.key, { offset: at }),
      };
    });
  }
}
