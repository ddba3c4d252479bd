/**
 * The ticket as a customer sees it (GET /v1/tickets/:cid with their key):
 * what their request did and the catalogued remediation, and the lines that
 * are theirs — the cp's lines for the request, their own woks' container
 * lines, their org's audit entries — reduced to time, level, message and code.
 * Never: other orgs' lines, hostnames, container ids, names or images, stack
 * traces, raw records, extra fields, client addresses, event ids; internal
 * addresses and host names inside messages are replaced by "[internal]".
 */
import type { Event } from '../../model/event.js';
import type { InventorySource } from '../../model/inventory.js';
import type { Ticket } from '../../model/ticket.js';
import { iso } from './event-view.js';
import { internalScrubber, type Scrub } from './customer-scrub.js';
import { fillRemediation } from './remediation-text.js';

export interface CustomerEventJson {
  source: Event['source'];
  time: string;
  level: Event['level'];
  message: string;
  code: string | null;
  /** Container lines: which part of the wok spoke (db, functions…), and start/stop marks. */
  container?: { role: string | null; wok: string | null; stream: 'stdout' | 'stderr'; lifecycle: string | null };
  audit?: { action: string; outcome: string | null; actor: string | null };
}

export interface CustomerTicketJson {
  correlation_id: string;
  request: {
    method: string | null;
    path: string | null;
    status: number | null;
    org: string;
    user: string | null;
    key_prefix: string | null;
    wok: string | null;
    time: string;
    duration_ms: number | null;
  };
  error: { code: string | null; message: string | null; hint: string | null } | null;
  remediation: { code: string; catalogued: boolean; group: string | null; http: number | null; fix_side: string | null; text: string | null; filled_text: string | null } | null;
  events: CustomerEventJson[];
  context: CustomerEventJson[];
  /** The probable cause in words fit for the customer (no ids, hosts or other orgs); null when none, or none to tell. */
  cause: { text: string } | null;
}

const MAX_MESSAGE = 2000;

/** Whether a ticket is the org's own: the request's org, and the owner of the key it was made with. */
export async function ticketBelongsTo(t: Ticket, org: string, inventory: InventorySource): Promise<boolean> {
  if (!t.request || t.request.org !== org) return false;
  if (t.request.keyPrefix) {
    const owners = await inventory.keysByPrefix(t.request.keyPrefix);
    if (owners.length && !owners.some((k) => k.org === org)) return false;
  }
  return true;
}

/** The org's woks among those a ticket names (verified against the inventory, never taken from the logs alone). */
async function ownWoks(t: Ticket, org: string, inventory: InventorySource): Promise<Set<string>> {
  const named = new Set<string>();
  if (t.request?.wok) named.add(t.request.wok);
  for (const e of [...t.events, ...t.context]) {
    if (e.wok) named.add(e.wok);
    if (e.source === 'container' && e.container.wok) named.add(e.container.wok);
  }
  const own = new Set<string>();
  for (const id of named) if ((await inventory.wok(id))?.org === org) own.add(id);
  return own;
}

function visible(e: Event, org: string, woks: Set<string>): boolean {
  if (e.org !== null && e.org !== org) return false;
  if (e.wok !== null && !woks.has(e.wok)) return false;
  if (e.source === 'container') return e.container.wok !== null && woks.has(e.container.wok);
  if (e.source === 'audit') return e.org === org;
  return true;
}

function eventFor(e: Event, scrub: Scrub): CustomerEventJson {
  const message = scrub(e.message.length > MAX_MESSAGE ? e.message.slice(0, MAX_MESSAGE) + '…' : e.message);
  const out: CustomerEventJson = { source: e.source, time: iso(e.time), level: e.level, message, code: e.code };
  if (e.source === 'container') out.container = { role: e.container.role, wok: e.container.wok, stream: e.stream, lifecycle: e.lifecycle };
  if (e.source === 'audit') out.audit = { action: e.action, outcome: e.outcome, actor: e.actor };
  return out;
}

/** Only for a ticket that ticketBelongsTo(org). */
export async function customerTicketJson(t: Ticket, org: string, inventory: InventorySource): Promise<CustomerTicketJson> {
  const r = t.request!;
  const woks = await ownWoks(t, org, inventory);
  const scrub = internalScrubber(t);
  const rem = t.remediation;
  return {
    correlation_id: t.cid,
    request: {
      method: r.method,
      path: r.path,
      status: r.status,
      org,
      user: r.user,
      key_prefix: r.keyPrefix,
      wok: r.wok,
      time: iso(r.time),
      duration_ms: r.durationMs,
    },
    error: t.error && { code: t.error.code, message: t.error.message === null ? null : scrub(t.error.message), hint: t.error.hint === null ? null : scrub(t.error.hint) },
    remediation:
      rem &&
      (rem.kind === 'catalogued'
        ? { code: rem.code, catalogued: true, group: rem.group, http: rem.http, fix_side: rem.fixSide, text: rem.text, filled_text: fillRemediation(rem.text, r.wok) }
        : { code: rem.code, catalogued: false, group: null, http: rem.http, fix_side: null, text: rem.text === null ? null : scrub(rem.text), filled_text: rem.text === null ? null : scrub(rem.text) }),
    events: t.events.filter((e) => visible(e, org, woks)).map((e) => eventFor(e, scrub)),
    context: r.wok && woks.has(r.wok) ? t.context.filter((e) => visible(e, org, woks)).map((e) => eventFor(e, scrub)) : [],
    cause: t.cause?.customerText ? { text: t.cause.customerText } : null,
  };
}
