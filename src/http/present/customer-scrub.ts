/**
 * Internal names and addresses taken out of text a customer reads: the cp's
 * host names and the container ids, names and images the ticket knows of,
 * IP addresses (with their ports), and host names under internal domains.
 */
import type { Ticket } from '../../model/ticket.js';

export type Scrub = (text: string) => string;

export const INTERNAL = '[internal]';

const IPV4 = /(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?::\d{1,5})?(?![\d.])/g;
const IPV6 = /\[?(?<![\w:])(?:(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}|::ffff:[0-9a-f.:]{3,40}|::1)(?![\w:])\]?(?::\d{1,5})?/gi;
const INTERNAL_HOST = /\b[a-z0-9](?:[a-z0-9-]{0,62})(?:\.[a-z0-9-]{1,63}){0,6}\.(?:internal|local|lan|localdomain|intranet|corp)\b(?::\d{1,5})?/gi;

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Literal names the ticket's own lines reveal (at least 4 characters, so roles such as "db" stay readable). */
function literals(t: Ticket): string[] {
  const out = new Set<string>();
  for (const e of [...t.events, ...t.context]) {
    if (typeof e.fields.hostname === 'string') out.add(e.fields.hostname);
    if (e.source === 'container') {
      const c = e.container;
      out.add(c.id);
      out.add(c.id.slice(0, 12));
      if (c.name) out.add(c.name);
      if (c.image) out.add(c.image);
    }
  }
  return [...out].filter((s) => s.length >= 4).sort((a, b) => b.length - a.length);
}

export function internalScrubber(t: Ticket): Scrub {
  const names = literals(t);
  const named = names.length ? new RegExp(names.map(escape).join('|'), 'g') : null;
  return (text: string) => {
    let out = text.replace(IPV4, INTERNAL).replace(IPV6, INTERNAL).replace(INTERNAL_HOST, INTERNAL);
    if (named) out = out.replace(named, INTERNAL);
    return out;
  };
}
