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
  /** The most likely cause of a failure, with the ids of the events it rests on; null when no rule found one. */
  cause: { rule: string; text: string; evidence: string[] } | null;
  /** The wok's audit entries from 10 min before the failure to the end of the context window, oldest first. */
  context_audits: { event_id: string; time: string; action: string; actor: string | null; outcome: string | null; correlation_id: string | null }[];
  /** The same code on the wok within ±5 min (other requests), and platform-wide in the 15 min before, per org. */
  related: {
    code: string;
    same_wok: { correlation_id: string; time: string; status: number; path: string }[];
    same_wok_more: boolean;
    by_org: { org: string | null; count: number; first_seen: string; last_seen: string; sample_correlation_id: string }[];
  } | null;
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
    cause: t.cause ? { rule: t.cause.rule, text: t.cause.text, evidence: t.cause.evidence } : null,
    context_audits: (t.audits ?? []).map((a) => ({ event_id: a.eventId, time: iso(a.time), action: a.action, actor: a.actor, outcome: a.outcome, correlation_id: a.cid })),
    related: t.related
      ? {
          code: t.related.code,
          same_wok: t.related.sameWok.map((r) => ({ correlation_id: r.cid, time: iso(r.time), status: r.status, path: r.path })),
          same_wok_more: t.related.sameWokMore,
          by_org: t.related.byOrg.map((o) => ({ org: o.org, count: o.count, first_seen: iso(o.firstSeen), last_seen: iso(o.lastSeen), sample_correlation_id: o.sampleCid })),
        }
      : null,
  };
}
