/**
 * The wok page's timeline as rows for the template: filtered by kind (and by
 * the page's window), repeats folded into one row ("crash ↔ start ×36,
 * 14:42:11–15:09:23") unless asked not to, an anchor per row, and from every
 * lifecycle or failed-request row a link to the wok's container lines around
 * that moment (/diag/wok/<id>/lines).
 */
import { collapseRepeats, type RepeatRun, type TimelineItem, type TimelineKind, type TimelineRow } from '../../diag/timeline.js';
import { iso } from './event-view.js';
import { ago } from './ticket-page.js';

export interface TimelineRowModel {
  /** The row's id in the page (#tl-…), the same on every load of the same data. */
  anchor: string;
  time: string;
  ago: string;
  kind: TimelineRow['kind'];
  cls: string;
  text: string;
  cid: string | null;
  code: string | null;
  /** The container lines around this moment; operators only. */
  lines: string | null;
  /** A folded run's own rows, newest first. */
  members: TimelineRowModel[] | null;
}

export interface TimelineView {
  rows: TimelineRowModel[];
  kinds: readonly TimelineKind[];
  folded: boolean;
  /** How many rows the folding saved. */
  hidden: number;
}

const when = (t: number) => iso(t).replace('T', ' ').slice(0, 19);
const clock = (t: number) => iso(t).slice(11, 19);

/** /diag/wok/<id>/lines around `at`, of one container or of all the wok's. */
export function linesHref(wok: string, at: number, containerId: string | null): string {
  const q = new URLSearchParams({ at: iso(at) });
  if (containerId) q.set('container', containerId);
  return `/diag/wok/${encodeURIComponent(wok)}/lines?${q.toString()}`;
}

function itemText(t: TimelineItem): { cls: string; text: string; cid: string | null; code: string | null } {
  switch (t.kind) {
    case 'audit':
      return { cls: t.outcome && t.outcome !== 'success' ? 'warn' : 'info', text: `${t.actor ?? 'someone'} · ${t.action}${t.outcome ? ` (${t.outcome})` : ''}`, cid: t.cid, code: null };
    case 'request':
      return { cls: t.status >= 500 ? 'bad' : 'warn', text: `${t.method ? `${t.method} ${t.path}` : 'request (method and path not logged)'} → ${t.status}`, cid: t.cid, code: t.code };
    case 'lifecycle':
      return { cls: t.state === 'ready' || t.state === 'start' ? 'ok' : t.state === 'recovery' ? 'warn' : 'bad', text: `${t.container}${t.role ? ` (${t.role})` : ''}: ${t.state}${t.message ? ` — ${t.message}` : ''}`, cid: null, code: null };
    case 'check':
      return { cls: t.to === 'pass' ? 'ok' : t.to === 'warn' ? 'warn' : 'bad', text: `${t.check}: ${t.from ?? '—'} → ${t.to}${t.output ? ` — ${t.output}` : ''}`, cid: null, code: null };
  }
}

function runText(r: RepeatRun): string {
  return `${r.container}${r.role ? ` (${r.role})` : ''}: ${r.states.join(' ↔ ')} ×${r.count}, ${clock(r.from)}–${clock(r.to)}`;
}

export function timelineView(wok: string, items: readonly TimelineItem[], o: { now: number; operator: boolean; kinds: readonly TimelineKind[]; fold: boolean }): TimelineView {
  const used = new Map<string, number>();
  const anchor = (time: number, kind: string) => {
    const base = `tl-${time}-${kind}`;
    const n = used.get(base) ?? 0;
    used.set(base, n + 1);
    return n ? `${base}-${n + 1}` : base;
  };
  const single = (t: TimelineItem): TimelineRowModel => {
    const lines = !o.operator ? null : t.kind === 'lifecycle' ? linesHref(wok, t.time, t.containerId) : t.kind === 'request' ? linesHref(wok, t.time, null) : null;
    return { anchor: anchor(t.time, t.kind), time: when(t.time), ago: ago(t.time, o.now), kind: t.kind, ...itemText(t), lines, members: null };
  };
  const rows = (o.fold ? collapseRepeats(items) : [...items]).map((row): TimelineRowModel => {
    if (row.kind !== 'repeat') return single(row);
    return {
      anchor: anchor(row.to, 'repeat'),
      time: when(row.to),
      ago: ago(row.to, o.now),
      kind: 'repeat',
      cls: 'bad',
      text: runText(row),
      cid: null,
      code: null,
      lines: o.operator ? linesHref(wok, row.to, row.containerId) : null,
      members: row.members.map(single),
    };
  });
  return { rows, kinds: o.kinds, folded: o.fold, hidden: items.length - rows.length };
}
