/** The stored line codec: round trips, and the cheap peek a window scan uses agrees with a full decode. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LEVELS, type ContainerEvent, type Event, type Level, type Lifecycle } from '../../src/model/event.js';
import { decodeEvent, encodeEvent, isNotable, mayBeNotable, peekEncoded } from '../../src/store/event-codec.js';

const ref = { id: 'c'.repeat(64), name: 'w-db', wok: 'w1', role: 'db', image: 'postgres:16' };
const LIFECYCLES: (Lifecycle | null)[] = [null, 'start', 'ready', 'stopping', 'shutdown', 'crash', 'recovery'];

const event = fc.record({
  time: fc.integer({ min: 0, max: 4_102_444_800_000 }),
  level: fc.constantFrom(...LEVELS),
  message: fc.string({ maxLength: 80 }),
  lifecycle: fc.constantFrom(...LIFECYCLES),
  offset: fc.nat(),
  fieldY: fc.boolean(),
});

function containerEvent(v: { time: number; level: Level; message: string; lifecycle: Lifecycle | null; offset: number; fieldY: boolean }): ContainerEvent {
  return {
    source: 'container',
    id: `k:${v.offset}`,
    time: v.time,
    cid: null,
    level: v.level,
    code: null,
    wok: 'w1',
    org: null,
    message: v.message,
    // A field named "y" must not fool the peek into a wrong "not notable".
    fields: v.fieldY ? { y: ',"y":"x' } : {},
    container: ref,
    stream: 'stderr',
    format: 'postgres',
    lifecycle: v.lifecycle,
    err: null,
  };
}

describe('event codec', () => {
  it('round-trips, and peekEncoded reads the same time and level as a full decode; mayBeNotable never misses a notable line', () => {
    fc.assert(
      fc.property(event, (v) => {
        const e = containerEvent(v);
        const line = encodeEvent(e);
        const back = decodeEvent(line, { streamKey: 'k', source: 'container', container: ref }) as Event;
        expect(back).toEqual(e);
        const peek = peekEncoded(line);
        expect(peek).toEqual({ time: e.time, level: LEVELS.indexOf(e.level) });
        if (isNotable(e)) expect(mayBeNotable(line, peek!.level)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('peekEncoded says null for a line not in the encoded shape', () => {
    expect(peekEncoded('{"level":30,"time":1}')).toBeNull();
    expect(peekEncoded('')).toBeNull();
  });
});
