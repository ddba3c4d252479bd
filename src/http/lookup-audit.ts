/**
 * Records one lookup (a ticket, a search, the lines around an event, a
 * customer reply) in the audit of lookups: who asked — operator email, token
 * name, or customer org and key prefix — when, what, and from which address.
 * One insert; a failed insert is logged and the lookup still answers.
 */
import type { Request } from 'express';
import type { ActorKind, LookupKind } from '../model/lookup.js';
import type { AppDeps } from './app-deps.js';

/** Long search queries are kept to this many characters. */
const TARGET_MAX = 300;

function actorOf(req: Request): { actorKind: ActorKind; actor: string; org: string | null } | null {
  const p = req.principal;
  if (p.kind === 'operator') {
    return p.via === 'token' ? { actorKind: 'token', actor: p.operator.email.replace(/^token:/, ''), org: null } : { actorKind: 'operator', actor: p.operator.email, org: null };
  }
  if (p.kind === 'customer') return { actorKind: 'customer', actor: p.keyPrefix, org: p.org };
  return null;
}

export async function recordLookup(deps: AppDeps, req: Request, kind: LookupKind, target: string): Promise<void> {
  const who = actorOf(req);
  if (!who) return;
  try {
    await deps.store.recordLookup({
      time: deps.clock.now(),
      ...who,
      kind,
      target: target.slice(0, TARGET_MAX),
      address: req.ip ?? req.socket.remoteAddress ?? null,
    });
  } catch (e) {
    (req.log ?? deps.logger).warn({ err: e, lookup: kind }, 'the lookup was not recorded in the audit');
  }
}

/** A search's query as recorded: its parameters, in the order given. */
export function searchTarget(req: Request): string {
  const at = req.originalUrl.indexOf('?');
  if (at < 0) return '';
  const raw = req.originalUrl.slice(at + 1).replace(/\+/g, ' ');
  try {
    return decodeURIComponent(raw);
  } catch {
    // A malformed escape is recorded as sent rather than failing the search.
    return raw;
  }
}
