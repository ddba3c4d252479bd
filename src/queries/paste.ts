/**
 * What a support operator pasted into the box: a bare correlation id, a whole
 * error envelope, a log line, a header block… Finds the 16-hex correlation
 * ids in it and says plainly what else it saw (a W3C traceparent, a UUID, a
 * 32-hex trace id) when that is not what the console looks up.
 */

export const MAX_PASTE = 64 * 1024;

export type PasteResult =
  | { kind: 'one'; cid: string; via: 'envelope' | 'text' }
  | { kind: 'many'; cids: string[] }
  | { kind: 'none'; saw: string[] };

const TRACEPARENT = /\b([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})\b/gi;
const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;
const HEX_RUN = /(?<![0-9a-z_])[0-9a-f]+(?![0-9a-z_])/gi;

function envelopeCid(text: string): string | null {
  const t = text.trim();
  if (!t.startsWith('{')) return null;
  try {
    const v = JSON.parse(t) as { error?: { correlation_id?: unknown }; correlation_id?: unknown };
    const c = v?.error?.correlation_id ?? v?.correlation_id;
    return typeof c === 'string' && /^[0-9a-f]{16}$/i.test(c) ? c.toLowerCase() : null;
  } catch {
    return null;
  }
}

export function analysePaste(input: string): PasteResult {
  const text = input.length > MAX_PASTE ? input.slice(0, MAX_PASTE) : input;
  const fromEnvelope = envelopeCid(text);
  if (fromEnvelope) return { kind: 'one', cid: fromEnvelope, via: 'envelope' };

  const saw: string[] = [];
  let rest = text.replace(TRACEPARENT, (_m, _v, trace: string, span: string) => {
    saw.push(`a W3C traceparent (trace id ${trace.toLowerCase()}, span id ${span.toLowerCase()}) — that is tracing, not the cp's correlation id`);
    return ' ';
  });
  rest = rest.replace(UUID, (m) => {
    saw.push(`a UUID (${m.toLowerCase()}) — correlation ids are 16 hex characters, not UUIDs`);
    return ' ';
  });
  const cids: string[] = [];
  for (const m of rest.matchAll(HEX_RUN)) {
    const run = m[0];
    if (run.length === 16) {
      const c = run.toLowerCase();
      if (!cids.includes(c)) cids.push(c);
    } else if (run.length === 32) {
      saw.push(`32 hex characters (${run.toLowerCase()}), which looks like a trace id, not a 16-character correlation id`);
    } else if (run.length >= 12 && run.length <= 20) {
      saw.push(`${run.length} hex characters (${run.slice(0, 24)}) — a correlation id has exactly 16; was it cut or padded?`);
    }
  }
  if (cids.length === 1) return { kind: 'one', cid: cids[0]!, via: 'text' };
  if (cids.length > 1) return { kind: 'many', cids: cids.slice(0, 50) };
  return { kind: 'none', saw: saw.slice(0, 10) };
}

export interface LookupOutcome {
  result: PasteResult;
  /** For each id found: whether anything is stored under it. */
  known: Record<string, boolean>;
}

/** The paste box's answer over a store: the ids in the text, and for each whether anything was logged with it. */
export async function lookupPaste(store: { eventsByCid(cid: string): Promise<unknown[]> }, text: string): Promise<LookupOutcome> {
  const result = analysePaste(text);
  const ids = result.kind === 'one' ? [result.cid] : result.kind === 'many' ? result.cids : [];
  const known: Record<string, boolean> = {};
  for (const id of ids) known[id] = (await store.eventsByCid(id)).length > 0;
  return { result, known };
}
