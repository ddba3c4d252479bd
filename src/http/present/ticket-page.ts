/** The ticket page's view model: every string the template prints, prepared (and escaped by ejs on output). */
import type { Event } from '../../model/event.js';
import type { Ticket } from '../../model/ticket.js';
import { eventJson, iso } from './event-view.js';
import { remediationParts, type RemediationPart } from './remediation-text.js';
import { SHOWN_AUDITS } from '../../queries/ticket-cause.js';
import { auditRows, causeView, relatedView, type AuditRow, type CauseView, type RelatedView } from './ticket-cause-view.js';

export interface EventRow {
  id: string;
  time: string;
  /** Milliseconds from the request's start, signed ("+12 ms", "−1.2 s"). */
  rel: string;
  source: Event['source'];
  who: string;
  level: Event['level'];
  message: string;
  code: string | null;
  lifecycle: string | null;
  stack: string | null;
  record: string;
}

export interface TicketPageModel {
  title: string;
  cid: string;
  ticket: Ticket;
  started: string;
  ago: string;
  statusClass: string;
  rows: EventRow[];
  contextRows: EventRow[];
  window: { from: string; to: string } | null;
  sources: string;
  /** The remediation's text in parts, the wok's id filled in and linked; null without a remediation. */
  remedy: RemediationPart[] | null;
  health: HealthLine[];
  cause: CauseView | null;
  auditRows: AuditRow[];
  /** How many of the wok's routine audit entries the ticket shows at most (the newest). */
  shownAudits: number;
  related: RelatedView | null;
}

/** "cp_db was failing 14:02–14:05 (output); this request failed at 14:03." in parts, for the page and the terminal. */
export interface HealthLine {
  status: 'warn' | 'fail';
  check: string;
  /** "was failing 14:02–14:05" */
  during: string;
  output: string | null;
  /** "this request failed at 14:03." */
  request: string;
}

const hhmm = (ms: number) => iso(ms).slice(11, 16);

/** The subsystems that were not passing while the request ran, as sentences. */
export function healthLines(t: Ticket): HealthLine[] {
  const r = t.request;
  const failed = r !== null && r.status !== null && r.status >= 400;
  const at = hhmm(r ? r.time : t.events[0]!.time);
  return (t.health ?? []).map((h) => ({
    status: h.status,
    check: h.check,
    during: `was ${h.status === 'fail' ? 'failing' : 'warning'} ${hhmm(h.from)}–${hhmm(h.to ?? h.lastSeen)}`,
    output: h.output,
    request: `this request ${failed ? 'failed' : 'ran'} at ${at}.`,
  }));
}

export function relative(ms: number): string {
  const sign = ms < 0 ? '−' : '+';
  const a = Math.abs(ms);
  if (a < 1000) return `${sign}${Math.round(a)} ms`;
  if (a < 60_000) return `${sign}${(a / 1000).toFixed(1)} s`;
  if (a < 3_600_000) return `${sign}${(a / 60_000).toFixed(1)} min`;
  return `${sign}${(a / 3_600_000).toFixed(1)} h`;
}

export function ago(ms: number, now: number): string {
  const d = now - ms;
  if (d < 0) return 'in the future';
  if (d < 60_000) return `${Math.round(d / 1000)} s ago`;
  if (d < 3_600_000) return `${Math.round(d / 60_000)} min ago`;
  if (d < 86_400_000) return `${(d / 3_600_000).toFixed(1)} h ago`;
  return `${(d / 86_400_000).toFixed(1)} days ago`;
}

export function who(e: Event): string {
  switch (e.source) {
    case 'cp':
      return typeof e.fields.hostname === 'string' ? `cp · ${e.fields.hostname}` : 'cp';
    case 'container':
      return `${e.container.name ?? e.container.id.slice(0, 12)}${e.container.role ? ` (${e.container.role})` : ''}`;
    case 'audit':
      return 'audit';
  }
}

export function eventRow(e: Event, origin: number): EventRow {
  const { raw: _raw, ...record } = eventJson(e, { stack: false, raw: false });
  return {
    id: e.id,
    time: iso(e.time).slice(11, 23),
    rel: relative(e.time - origin),
    source: e.source,
    who: who(e),
    level: e.level,
    message: e.message.length > 2000 ? e.message.slice(0, 2000) + '…' : e.message,
    code: e.code,
    lifecycle: e.source === 'container' ? e.lifecycle : null,
    stack: e.source !== 'audit' ? (e.err?.stack ?? null) : null,
    record: JSON.stringify(record, null, 2),
  };
}

export function statusClass(status: number | null): string {
  if (status === null) return 'unknown';
  if (status >= 500) return 's5xx';
  if (status >= 400) return 's4xx';
  return 's2xx';
}

export function ticketPage(t: Ticket, now: number): TicketPageModel {
  const origin = t.request?.time ?? t.events[0]!.time;
  const sources = [...new Set(t.events.map((e) => e.source))].join(', ');
  return {
    title: `Ticket ${t.cid}`,
    cid: t.cid,
    ticket: t,
    started: iso(origin).replace('T', ' ').replace('Z', ' UTC'),
    ago: ago(origin, now),
    statusClass: statusClass(t.request?.status ?? null),
    rows: t.events.map((e) => eventRow(e, origin)),
    contextRows: t.context.map((e) => eventRow(e, origin)),
    window: t.window && { from: iso(t.window.from).slice(11, 19), to: iso(t.window.to).slice(11, 19) },
    sources,
    remedy: t.remediation?.text ? remediationParts(t.remediation.text, t.remediation.kind === 'catalogued' ? (t.request?.wok ?? null) : null) : null,
    health: healthLines(t),
    cause: causeView(t),
    auditRows: auditRows(t),
    shownAudits: SHOWN_AUDITS,
    related: relatedView(t),
  };
}
