/**
 * Events ↔ compact JSON lines. What a block (or a row) stores per event: short
 * keys, nulls omitted, and nothing the block already says (the stream's key,
 * the source, the container). Shared by both stores so their bytes agree.
 */
import { LEVELS, type ContainerRef, type ErrInfo, type Event, type Fields, type HttpInfo, type Lifecycle, type Source } from '../model/event.js';

interface Encoded {
  o: number;
  t: number;
  c?: string;
  l: number;
  k?: string;
  w?: string;
  g?: string;
  m: string;
  f?: Fields;
  e?: (string | number | null)[];
  h?: (string | number | null)[];
  S?: 1;
  F?: 'p' | 'g' | 't';
  y?: Lifecycle;
  a?: string;
  A?: string;
  u?: string;
  i?: string;
}

const FORMAT_CODE = { pino: 'p', postgres: 'g', text: 't' } as const;
const FORMAT_NAME = { p: 'pino', g: 'postgres', t: 'text' } as const;

function errTuple(e: ErrInfo): (string | number | null)[] {
  return [e.type, e.message, e.code, e.hint, e.status, e.stack];
}

function errFrom(t: (string | number | null)[]): ErrInfo {
  return {
    type: t[0] as string | null,
    message: t[1] as string | null,
    code: t[2] as string | null,
    hint: t[3] as string | null,
    status: t[4] as number | null,
    stack: t[5] as string | null,
  };
}

function httpTuple(h: HttpInfo): (string | number | null)[] {
  return [h.method, h.path, h.status, h.durationMs, h.keyPrefix, h.user, h.remoteAddress];
}

function httpFrom(t: (string | number | null)[]): HttpInfo {
  return {
    method: t[0] as string,
    path: t[1] as string,
    status: t[2] as number,
    durationMs: t[3] as number | null,
    keyPrefix: t[4] as string | null,
    user: t[5] as string | null,
    remoteAddress: t[6] as string | null,
  };
}

/** The byte offset an event id ends with (`<stream key>:<offset>`). */
export function offsetOf(id: string): number {
  return Number(id.slice(id.lastIndexOf(':') + 1));
}

export function encodeEvent(e: Event): string {
  const x: Encoded = { o: offsetOf(e.id), t: e.time, l: LEVELS.indexOf(e.level), m: e.message };
  if (e.cid) x.c = e.cid;
  if (e.code) x.k = e.code;
  if (e.wok) x.w = e.wok;
  if (e.org) x.g = e.org;
  for (const _ in e.fields) {
    x.f = e.fields;
    break;
  }
  switch (e.source) {
    case 'cp':
      if (e.http) x.h = httpTuple(e.http);
      if (e.err) x.e = errTuple(e.err);
      break;
    case 'container':
      if (e.stream === 'stderr') x.S = 1;
      x.F = FORMAT_CODE[e.format];
      if (e.lifecycle) x.y = e.lifecycle;
      if (e.err) x.e = errTuple(e.err);
      break;
    case 'audit':
      if (e.actor !== null) x.a = e.actor;
      x.A = e.action;
      if (e.outcome !== null) x.u = e.outcome;
      if (e.ip !== null) x.i = e.ip;
      break;
  }
  return JSON.stringify(x);
}

export interface DecodeContext {
  streamKey: string;
  source: Source;
  container: ContainerRef | null;
}

export function decodeEvent(line: string, ctx: DecodeContext): Event {
  const x = JSON.parse(line) as Encoded;
  const common = {
    id: `${ctx.streamKey}:${x.o}`,
    time: x.t,
    cid: x.c ?? null,
    level: LEVELS[x.l] ?? 'info',
    code: x.k ?? null,
    wok: x.w ?? null,
    org: x.g ?? null,
    message: x.m,
    fields: x.f ?? {},
  };
  switch (ctx.source) {
    case 'cp':
      return { ...common, source: 'cp', http: x.h ? httpFrom(x.h) : null, err: x.e ? errFrom(x.e) : null };
    case 'container':
      return {
        ...common,
        source: 'container',
        container: ctx.container ?? { id: 'unknown', name: null, wok: null, role: null, image: null },
        stream: x.S ? 'stderr' : 'stdout',
        format: FORMAT_NAME[x.F ?? 't'],
        lifecycle: x.y ?? null,
        err: x.e ? errFrom(x.e) : null,
      };
    case 'audit':
      return { ...common, source: 'audit', actor: x.a ?? null, action: x.A ?? '', outcome: x.u ?? null, ip: x.i ?? null };
  }
}

/** Worth showing as context: a warning or worse, or a lifecycle change of a container. */
export function isNotable(e: Event): boolean {
  return e.level === 'warn' || e.level === 'error' || e.level === 'fatal' || (e.source === 'container' && e.lifecycle !== null);
}
