/**
 * Log text that a store's bulk path could mangle — tabs, backslashes (also
 * as `\N`, `\.` and `\t` spelled out), newlines and carriage returns inside a
 * value, bidi controls, zero-width and combining characters, astral planes,
 * other control characters — reads back exactly as it was written, through
 * writeBatch and writePrepared alike: the events, the request summaries
 * derived from them and the lifecycle records. No NUL here (see write.ts).
 */
import { describe, expect, it } from 'vitest';
import type { Event } from '../../../src/model/event.js';
import { prepareBatch } from '../../../src/store/prepared-batch.js';
import type { StreamBatch } from '../../../src/store/store.js';
import { cid, container, cpStream, dockerStream, StreamFixture, T0 } from '../../fixtures/events.js';
import type { MakeStore } from '../contract.js';
import { useStore } from './harness.js';

/** Each a piece of text COPY, JSON or a terminal treats specially. */
export const HOSTILE = [
  'tab\there\tand\ttrailing\t',
  'back\\slash \\\\ double \\N null-looking \\. end-marker-looking \\t spelled',
  '\\N',
  '\\.',
  'new\nline and\r\ncrlf and lone\rcr',
  'bidi \u202Eevil\u202C \u2066isolate\u2069 \u200F rtl mark \u061C',
  'zero\u200Bwidth \u200D joiner \uFEFF bom e\u0301 combining',
  'astral 🦀 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 \u{10FFFD} private plane',
  'controls \u0001\u0007\u001b[31mred\u001b[0m \u007f \u0085 \u2028 \u2029',
  'quotes "double" \'single\' `back` {"json":"inside"} \\"escaped\\"',
  'Ünïcödé 日本語 한국어 العربية עברית',
] as const;

const WOK = 'w7h0s7';

/** One stream of app lines and requests, one of a wok's database, every line carrying one hostile text. */
function hostileBatch(seed: string): { parts: StreamBatch[]; written: Event[]; cids: string[] } {
  const cp = new StreamFixture(cpStream(`hostile-${seed}`));
  const db = new StreamFixture(dockerStream(container(`hostile-${seed}`, WOK, 'db')));
  const written: Event[] = [];
  const cids: string[] = [];
  HOSTILE.forEach((text, i) => {
    const c = cid(`hostile-${seed}-${i}`);
    cids.push(c);
    const t = T0 + i * 1000;
    written.push(cp.cpLine({ cid: c, time: t, msg: text, extra: { note: text, [text]: 'as a key' } }));
    written.push(db.pg({ time: t + 1, severity: 'ERROR', message: text, cid: c }));
    written.push(cp.request({ cid: c, time: t + 9, status: 500, code: 'CP_INTERNAL', message: text, hint: text, url: `/v1/woks/${WOK}/sql?q=${text}`, responseTime: 4 }));
  });
  return { parts: [cp.batch(), db.batch()], written, cids };
}

export function hostileTextContract(make: MakeStore): void {
  describe('hostile log text reads back byte-identical', () => {
    const cur = useStore(make);

    for (const path of ['writeBatch', 'writePrepared'] as const) {
      it(`through ${path}: events, request summaries and their order`, async () => {
        const { parts, written, cids } = hostileBatch(path);
        const batch = { streams: parts };
        const r = path === 'writeBatch' ? await cur.store.writeBatch(batch) : await cur.store.writePrepared(prepareBatch(batch, cur.store.redactor));
        expect(r).toEqual({ events: written.length, unparsed: 0, duplicate: false });
        for (const [i, c] of cids.entries()) {
          const events = await cur.store.eventsByCid(c);
          expect(events).toEqual(written.filter((e) => e.cid === c));
          // As UTF-8 bytes too: a string that only looks the same (normalised, re-escaped) fails here.
          const hex = (list: Event[]) => list.map((e) => Buffer.from(JSON.stringify([e.message, e.fields, 'err' in e ? e.err : null]), 'utf8').toString('hex'));
          expect(hex(events)).toEqual(hex(written.filter((e) => e.cid === c)));
          expect(events[0]!.message).toBe(HOSTILE[i]);
        }
        const found = (await cur.store.search({ limit: 100 })).items;
        expect(found).toHaveLength(HOSTILE.length);
        for (const [i, text] of HOSTILE.entries()) {
          const req = found.find((x) => x.cid === cids[i]);
          expect(req).toMatchObject({ message: text, path: `/v1/woks/${WOK}/sql?q=${text}`, code: 'CP_INTERNAL', status: 500, wok: WOK });
        }
        // Sent again: nothing doubles, whatever the text.
        const again = path === 'writeBatch' ? await cur.store.writeBatch(batch) : await cur.store.writePrepared(prepareBatch(batch, cur.store.redactor));
        expect(again).toEqual({ events: 0, unparsed: 0, duplicate: true });
        expect((await cur.store.stats()).events).toMatchObject({ cp: HOSTILE.length * 2, container: HOSTILE.length });
      });
    }
  });
}
