/** The ticket page's probable cause, Related panel and the wok's audit entries, prepared for the template. */
import type { Ticket } from '../../model/ticket.js';
import { iso } from './event-view.js';

export interface CauseView {
  text: string;
  rule: string;
  /** Evidence in page order; href null when the event is not on the page (a lifecycle line before the context window). */
  evidence: { id: string; href: string | null; label: string }[];
}

export interface AuditRow {
  anchor: string;
  time: string;
  action: string;
  actor: string;
  outcome: string;
  cid: string | null;
}

export interface RelatedView {
  code: string;
  sameWok: { cid: string; time: string; status: number; path: string }[];
  sameWokMore: boolean;
  wok: string | null;
  byOrg: { org: string; count: number; first: string; last: string; search: string }[];
  searchWok: string;
}

const hms = (ms: number) => iso(ms).slice(11, 19);

export function causeView(t: Ticket): CauseView | null {
  if (!t.cause) return null;
  const onPage = new Set([...t.events, ...t.context].map((e) => e.id));
  const audits = new Set((t.audits ?? []).map((a) => a.eventId));
  return {
    text: t.cause.text,
    rule: t.cause.rule,
    evidence: t.cause.evidence.map((id, i) => ({
      id,
      href: onPage.has(id) ? `#ev-${id}` : audits.has(id) ? `#au-${id}` : null,
      label: `evidence ${i + 1}`,
    })),
  };
}

export function auditRows(t: Ticket): AuditRow[] {
  return (t.audits ?? []).map((a) => ({ anchor: `au-${a.eventId}`, time: hms(a.time), action: a.action, actor: a.actor ?? '—', outcome: a.outcome ?? '—', cid: a.cid }));
}

function searchHref(q: Record<string, string>): string {
  return `/search?${new URLSearchParams(q).toString()}`;
}

export function relatedView(t: Ticket): RelatedView | null {
  const r = t.related;
  if (!r) return null;
  const wok = t.request?.wok ?? null;
  return {
    code: r.code,
    sameWok: r.sameWok.map((s) => ({ cid: s.cid, time: hms(s.time), status: s.status, path: s.path })),
    sameWokMore: r.sameWokMore,
    wok,
    byOrg: r.byOrg.map((o) => ({
      org: o.org ?? '(no org)',
      count: o.count,
      first: hms(o.firstSeen),
      last: hms(o.lastSeen),
      search: searchHref(o.org ? { code: r.code, org: o.org } : { code: r.code }),
    })),
    searchWok: searchHref(wok ? { code: r.code, wok } : { code: r.code }),
  };
}
