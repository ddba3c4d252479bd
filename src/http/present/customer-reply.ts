/**
 * The reply an operator sends a customer about one request (GET
 * /v1/tickets/:cid/reply and the preview on the ticket page), as Markdown:
 * what happened (time in UTC, method and path, status, code, correlation id),
 * the catalogued remediation with the request's wok filled in, and for a
 * platform-side code which subsystem was failing at the time and since when.
 * Nothing internal goes in: no log lines, stack traces, host names, addresses,
 * container ids, other orgs or users. `left_out` says what was held back —
 * the kind, how many and why, never the value itself.
 */
import type { Ticket } from '../../model/ticket.js';
import { internalScrubber } from './customer-scrub.js';
import { iso } from './event-view.js';
import { fillRemediation, WOK_PLACEHOLDER } from './remediation-text.js';

export interface CustomerReply {
  markdown: string;
  left_out: string[];
}

const utc = (ms: number) => `${iso(ms).slice(0, 19).replace('T', ' ')} UTC`;
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Backticks would end the Markdown code span; nothing else in these values needs escaping. */
const code = (s: string) => `\`${s.replace(/`/g, "'")}\``;

export function customerReply(t: Ticket): CustomerReply {
  const scrub = internalScrubber(t);
  const r = t.request;
  const lines: string[] = ['Hello,', ''];
  const left: string[] = [];
  const what = r && r.method && r.path ? `your request ${code(`${r.method} ${scrub(r.path)}`)}` : 'your request';
  const when = r ? ` on ${utc(r.time)}` : '';
  const status = r?.status ? ` answered with status ${r.status}` : ' was logged';
  const errCode = t.error?.code ?? t.remediation?.code ?? null;
  lines.push(`${what.charAt(0).toUpperCase()}${what.slice(1)}${when}${status}${errCode ? ` and the error ${code(errCode)}` : ''} (correlation id ${code(t.cid)}).`);
  const message = t.error?.message ? scrub(t.error.message) : null;
  if (message) lines.push('', `The platform said: “${message.replace(/\s+/g, ' ').slice(0, 500)}”`);
  if (message && message !== t.error?.message) left.push('internal addresses or names in the error message, replaced by [internal]: they describe our infrastructure, not your request');

  const rem = t.remediation;
  if (rem?.kind === 'catalogued') {
    const wok = r?.wok ?? null;
    const full = fillRemediation(rem.text, wok) ?? rem.text.split(WOK_PLACEHOLDER).join('your wok');
    // Steps that send the reader to this console (/diag…) are for our operators, not the customer.
    const sentences = full.split(/(?<=[.;!?])\s+/);
    const filled = sentences.filter((x) => !x.includes('/diag')).map((x) => x.charAt(0).toUpperCase() + x.slice(1)).join(' ').replace(/;$/, '.');
    if (filled.length < full.length) left.push(`${plural(sentences.length - filled.split(/(?<=[.;!?])\s+/).filter(Boolean).length, 'remediation step')} for our operators (it names this console's pages)`);
    if (rem.fixSide === 'platform') {
      lines.push('', '**This one is on our side.** ' + filled);
      const health = (t.health ?? []).filter((h) => h.status === 'fail');
      if (health.length) {
        for (const h of health) lines.push('', `Our ${h.check.replace(/_/g, ' ')} subsystem has been failing since ${utc(h.from)}${h.to ? ` (until ${utc(h.to)})` : ''}; we are working on it.`);
        if (health.some((h) => h.output)) left.push(`${plural(health.filter((h) => h.output).length, 'health check output')}: internal readings of our subsystems`);
      } else lines.push('', 'No subsystem was reported failing at that moment; we are looking into it.');
    } else {
      lines.push('', `**What to do:** ${filled}`);
    }
  } else if (rem?.text) {
    lines.push('', `**What to do:** ${scrub(rem.text)}`);
  }
  lines.push('', 'If it happens again, reply with the correlation id of the new request and we will look at it.');

  const stacks = t.events.filter((e) => e.source !== 'audit' && e.err?.stack).length;
  if (stacks) left.push(`${plural(stacks, 'stack trace')}: code paths of the platform`);
  const cp = t.events.filter((e) => e.source === 'cp').length;
  if (cp) left.push(`${plural(cp, 'platform log line')}: internal detail of how the request was handled`);
  const ctr = [...t.events, ...t.context].filter((e) => e.source === 'container').length;
  if (ctr) left.push(`${plural(ctr, 'container line')}: container ids, names and images are internal`);
  const audit = t.events.filter((e) => e.source === 'audit').length;
  if (audit) left.push(`${plural(audit, 'audit entry', 'audit entries')}: they may name other users`);
  const hosts = new Set(t.events.map((e) => e.fields.hostname).filter((h) => typeof h === 'string'));
  if (hosts.size) left.push(`${plural(hosts.size, 'host name')} of the platform: internal`);
  if (r?.user || r?.keyPrefix) left.push('the user and key prefix the request was made with: the customer knows them, and a reply may be forwarded');
  return { markdown: lines.join('\n'), left_out: left };
}
