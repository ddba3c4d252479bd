/** The ticket as GET /v1/tickets/:cid answers it. */
import type { Ticket } from '../../model/ticket.js';
import { eventJson, iso, type EventDetail, type EventJson } from './event-view.js';
import { fillRemediation } from './remediation-text.js';

export interface TicketJson {
  correlation_id: string;
  request: {
    method: string | null;
    path: string | null;
    status: number | null;
    org: string | null;
    user: string | null;
    key_prefix: string | null;
    wok: string | null;
    time: string;
    duration_ms: number | null;
  } | null;
  error: { code: string | null; message: string | null; hint: string | null } | null;
  /**
   * `text` is the catalogue's own words (with `{id}` where the wok goes); `filled_text` is the same with the
   * request's wok put in — equal to `text` when there is nothing to fill, null when the request names no wok.
   */
  remediation: {
    code: string;
    catalogued: boolean;
    group: string | null;
    http: number | null;
    fix_side: string | null;
    text: string | null;
    filled_text: string | null;
  } | null;
  events: EventJson[];
  context: EventJson[];
  context_window: { from: string; to: string } | null;
  /**
   * Operators only (customerTicketJson has no such field): the subsystems warning or failing while the request
   * ran, from the stored /diag history — empty when all passed or nothing was stored.
   */
  health: TicketHealthJson[];
}

export interface TicketHealthJson {
  check: string;
  status: 'warn' | 'fail';
  from: string;
  last_seen: string;
  /** When the check was next seen in another state; null while it lasts or when unknown. */
  to: string | null;
  output: string | null;
}

export function ticketJson(t: Ticket, detail: EventDetail): TicketJson {
  const r = t.request;
  const rem = t.remediation;
  return {
    correlation_id: t.cid,
    request: r && {
      method: r.method,
      path: r.path,
      status: r.status,
      org: r.org,
      user: r.user,
      key_prefix: r.keyPrefix,
      wok: r.wok,
      time: iso(r.time),
      duration_ms: r.durationMs,
    },
    error: t.error,
    remediation:
      rem &&
      (rem.kind === 'catalogued'
        ? { code: rem.code, catalogued: true, group: rem.group, http: rem.http, fix_side: rem.fixSide, text: rem.text, filled_text: fillRemediation(rem.text, r?.wok ?? null) }
        : { code: rem.code, catalogued: false, group: null, http: rem.http, fix_side: null, text: rem.text, filled_text: rem.text }),
    events: t.events.map((e) => eventJson(e, detail)),
    context: t.context.map((e) => eventJson(e, detail)),
    context_window: t.window && { from: iso(t.window.from), to: iso(t.window.to) },
    // Times as ISO strings, like every other time here (and the wok view's health segments).
    health: (t.health ?? []).map((h) => ({ check: h.check, status: h.status, from: iso(h.from), last_seen: iso(h.lastSeen), to: h.to === null ? null : iso(h.to), output: h.output })),
  };
}
