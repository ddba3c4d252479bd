/**
 * One correlation id → one ticket: every event carrying it from every source,
 * the request it belongs to, its error and remediation, and the context that
 * explains it — lines of the addressed wok's containers around the request
 * that do not carry the id (errors, and start / stop / crash lines).
 */
import type { Catalog } from '../catalog/catalog.js';
import type { CpEvent, Event } from '../model/event.js';
import { wokFromPath } from '../model/request.js';
import type { Ticket, TicketRequest } from '../model/ticket.js';
import type { ActivityReads, HealthStore, InventoryStore, LineReads, RequestReads } from '../store/store.js';
import { healthDuring } from '../diag/ticket-health.js';
import { keyOwner } from '../store/key-owner.js';
import { explainWith, readActivity } from './ticket-cause.js';

export interface TicketOptions {
  /** Context starts this long before the request (ms): a crash just before explains a failure. */
  contextBeforeMs: number;
  /** …and ends this long after it. */
  contextAfterMs: number;
  contextLimit: number;
}

export const DEFAULT_TICKET_OPTIONS: TicketOptions = { contextBeforeMs: 120_000, contextAfterMs: 30_000, contextLimit: 50 };

/** The cp line that ended the request: the one pino-http wrote with req and res. */
function completion(events: Event[]): CpEvent | null {
  let best: CpEvent | null = null;
  for (const e of events) if (e.source === 'cp' && e.http && (!best || e.http.status >= best.http!.status)) best = e;
  return best;
}

function first<T>(events: Event[], pick: (e: Event) => T | null | undefined): T | null {
  for (const e of events) {
    const v = pick(e);
    if (v !== null && v !== undefined) return v;
  }
  return null;
}

export async function buildTicket(store: LineReads & InventoryStore & ActivityReads & RequestReads & HealthStore, catalog: Catalog, cid: string, opts: TicketOptions = DEFAULT_TICKET_OPTIONS): Promise<Ticket | null> {
  const events = await store.eventsByCid(cid);
  if (!events.length) return null;
  const done = completion(events);
  const http = done?.http ?? null;
  const cpFirst = events.find((e) => e.source === 'cp');
  // '' when the completion line did not log the request (quietResLogger): another line of it may name it.
  const path = http?.path || first(events, (e) => (e.source === 'cp' && typeof e.fields.url === 'string' ? e.fields.url : null));
  const keyPrefix = http?.keyPrefix ?? null;
  const start = http?.durationMs != null && done ? Math.round(done.time - http.durationMs) : events[0]!.time;
  const end = done ? done.time : events[events.length - 1]!.time;
  const wok = done?.wok ?? first(events, (e) => e.wok) ?? (path ? wokFromPath(path) : null);
  const request: TicketRequest = {
    method: http?.method || first(events, (e) => (e.source === 'cp' && typeof e.fields.method === 'string' ? e.fields.method : null)),
    path,
    status: http?.status ?? null,
    org: done?.org ?? first(events, (e) => e.org) ?? null,
    user: http?.user ?? first(events, (e) => (e.source === 'audit' ? e.actor : null)) ?? null,
    keyPrefix,
    wok,
    time: start,
    durationMs: http?.durationMs ?? null,
  };
  const withCode = events.find((e) => e.source === 'cp' && e.code) ?? events.find((e) => e.code);
  const code = withCode?.code ?? null;
  // The first line naming the code is often the handler's own log of the cause ("connect ECONNREFUSED …" for an
  // exec_sql failure); the completion line's error is what the caller was answered. Prefer it when it names the
  // same code and says something; the cause stays visible among the events.
  const answered = done && code !== null && done.code === code && done.err?.message ? done.err : null;
  const err = answered ?? (withCode && withCode.source !== 'audit' ? withCode.err : null) ?? (done?.err ?? null);
  const failed = (http?.status ?? 0) >= 400 || events.some((e) => e.level === 'error' || e.level === 'fatal');
  // A handler may log the envelope's hint as a plain field beside the code (`log.info({ code, hint }, message)`).
  const hint = err?.hint ?? (code ? first(events, (e) => (e.code === code && typeof e.fields.hint === 'string' ? e.fields.hint : null)) : null);
  const error = code || failed ? { code, message: err?.message ?? (withCode ? withCode.message : null) ?? null, hint } : null;
  const remediation = catalog.remediation(code, { hint, message: error?.message ?? null, http: http?.status ?? null });

  const window = wok ? { from: start - opts.contextBeforeMs, to: end + opts.contextAfterMs } : null;
  const shown = http || cpFirst ? request : { ...request, method: null, path: null };
  // Every read below needs only the events: they go out together (on PostgreSQL, each on a pool connection of its own).
  const [keys, context, health, activity] = await Promise.all([
    keyPrefix && (request.org === null || request.user === null) ? store.keysByPrefix(keyPrefix) : null,
    wok && window ? store.containerEvents({ wok, ...window, limit: opts.contextLimit, notable: true }) : [],
    healthDuring(store, start, Math.max(start, end)),
    readActivity(store, { cid, request: shown, error, window, events }),
  ]);
  // A caller the lines do not name is the key's owner (inventory).
  const owner = keys ? keyOwner(keys) : null;
  const named = { ...shown, org: shown.org ?? owner?.org ?? null, user: shown.user ?? owner?.user ?? null };
  const ticket: Ticket = { cid, request: named, error, remediation, events, context: context.filter((e) => e.cid !== cid), window, health };
  return explainWith(ticket, activity);
}
