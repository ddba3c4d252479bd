/** A ticket as text for a terminal: the same content as the page, colour only when the output is a TTY. */
import type { Event } from '../model/event.js';
import type { Ticket } from '../model/ticket.js';
import { iso } from '../http/present/event-view.js';
import { fillRemediation, wokHref } from '../http/present/remediation-text.js';
import { healthLines, relative, who } from '../http/present/ticket-page.js';
import { terminalSafe, terminalSafeBlock } from './terminal-safe.js';

export interface TextStyle {
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  yellow(s: string): string;
  green(s: string): string;
}

const plain: TextStyle = { bold: (s) => s, dim: (s) => s, red: (s) => s, yellow: (s) => s, green: (s) => s };
const sgr = (n: string) => (s: string) => `\u001b[${n}m${s}\u001b[0m`;
export const ansi: TextStyle = { bold: sgr('1'), dim: sgr('2'), red: sgr('31'), yellow: sgr('33'), green: sgr('32') };

function level(e: Event, st: TextStyle): string {
  const l = e.level.toUpperCase().padEnd(5);
  return e.level === 'error' || e.level === 'fatal' ? st.red(l) : e.level === 'warn' ? st.yellow(l) : st.dim(l);
}

function eventLine(e: Event, origin: number, st: TextStyle, stacks: boolean): string {
  const head = `${iso(e.time).slice(11, 23)} ${relative(e.time - origin).padStart(9)} ${level(e, st)} ${terminalSafe(`[${e.source}] ${who(e)}`)}`;
  const extra = [e.code ? st.red(e.code) : '', e.source === 'container' && e.lifecycle ? `<${e.lifecycle}>` : ''].filter(Boolean).join(' ');
  let out = `${head}  ${extra ? extra + ' ' : ''}${terminalSafe(e.message)}`;
  if (stacks && e.source !== 'audit' && e.err?.stack) out += '\n' + st.dim(terminalSafeBlock(e.err.stack).replace(/^/gm, '      '));
  return out;
}

export function renderTicketText(t: Ticket, opts: { color: boolean; stacks: boolean }): string {
  const st = opts.color ? ansi : plain;
  const r = t.request;
  const origin = r?.time ?? t.events[0]!.time;
  const lines: string[] = [];
  lines.push(st.bold(`Ticket ${t.cid}`));
  if (r) {
    const status = r.status === null ? 'no response logged' : String(r.status);
    const coloured = r.status !== null && r.status >= 500 ? st.red(status) : r.status !== null && r.status >= 400 ? st.yellow(status) : st.green(status);
    lines.push(`  ${coloured} ${terminalSafe(`${r.method ?? ''} ${r.path ?? ''}`.trim())}`);
    lines.push(`  started   ${iso(r.time)}   duration ${r.durationMs ?? '—'} ms`);
    lines.push(terminalSafe(`  org ${r.org ?? '—'}   user ${r.user ?? '—'}${r.keyPrefix ? ` (key ${r.keyPrefix}…)` : ''}   wok ${r.wok ?? '—'}`));
  }
  if (t.error) {
    lines.push('');
    lines.push(st.red(st.bold(`  ${t.error.code ?? 'failed'}`)) + (t.error.message ? `  ${terminalSafe(t.error.message)}` : ''));
    const rem = t.remediation;
    if (rem?.kind === 'catalogued') {
      lines.push(`  fix: ${rem.fixSide} · HTTP ${rem.http} · ${rem.group}`);
      const wok = r?.wok ?? null;
      const filled = fillRemediation(rem.text, wok);
      lines.push(`  ${terminalSafe(filled ?? rem.text)}`);
      if (filled !== rem.text && wok) lines.push(`  wok page: ${terminalSafe(wokHref(wok))}`);
    } else if (rem) {
      lines.push(`  not in the catalogue; the cp's hint: ${terminalSafe(rem.text ?? '(none)')}`);
    }
    lines.push(`  probable cause: ${terminalSafe(t.cause?.text ?? 'none found in the logs')}`);
  }
  const health = healthLines(t);
  if (health.length) {
    lines.push('');
    lines.push(st.bold('Platform health at the time (stored /diag history)'));
    for (const h of health) {
      const status = h.status === 'fail' ? st.red(h.status) : st.yellow(h.status);
      lines.push(`  ${status} ${terminalSafe(`${h.check} ${h.during}${h.output ? ` (${h.output})` : ''}; ${h.request}`)}`);
    }
  }
  lines.push('');
  lines.push(st.bold(`Events (${t.events.length})`));
  for (const e of t.events) lines.push('  ' + eventLine(e, origin, st, opts.stacks));
  if (t.window) {
    lines.push('');
    lines.push(st.bold(`Context (${t.context.length}) — wok ${terminalSafe(r?.wok ?? '')} containers, ${iso(t.window.from).slice(11, 19)}–${iso(t.window.to).slice(11, 19)}`));
    for (const e of t.context) lines.push('  ' + eventLine(e, origin, st, opts.stacks));
  }
  return lines.join('\n') + '\n';
}
