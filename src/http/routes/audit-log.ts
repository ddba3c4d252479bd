/**
 * GET /v1/audit (JSON) and GET /audit (the page): the audit of lookups —
 * which operator, token or customer key looked at which ticket, search,
 * around or reply, when and from where — newest first, filtered by actor
 * (operator email, token name or key prefix) and by org, paged. Operators only.
 */
import { Router } from 'express';
import type { LookupRecord } from '../../model/lookup.js';
import type { AppDeps } from '../app-deps.js';
import { methodNotAllowed } from '../middleware/error-handler.js';
import { requireOperator } from '../middleware/guards.js';
import { intParam, stringParam } from '../params.js';
import { iso } from '../present/event-view.js';
import { queryShape, readQuery, text } from '../query.js';

const ACTOR = /^[A-Za-z0-9][A-Za-z0-9_.@+:-]{0,127}$/;
const ORG = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;

const AUDIT_QUERY = queryShape({
  operator: text((raw) => stringParam('operator', raw, ACTOR)),
  org: text((raw) => stringParam('org', raw, ORG)),
  limit: text((raw) => intParam('limit', raw, 1, 500) ?? 100),
  cursor: text((raw) => (raw === undefined || raw === '' ? null : raw)),
});

function lookupJson(r: LookupRecord) {
  return { time: iso(r.time), actor_kind: r.actorKind, actor: r.actor, org: r.org, kind: r.kind, target: r.target, address: r.address };
}

/** Where a lookup's target leads, when it is a page of its own. */
function targetHref(r: LookupRecord): string | null {
  if (r.kind === 'ticket' || r.kind === 'reply') return /^[0-9a-f]{16}$/.test(r.target) ? `/tickets/${r.target}` : null;
  if (r.kind === 'around') return `/events/${encodeURIComponent(r.target)}/around`;
  return null;
}

export function auditLogRoutes(deps: AppDeps): Router {
  const r = Router();

  r.route('/v1/audit')
    .get(requireOperator, async (req, res) => {
      const q = readQuery(AUDIT_QUERY, req.query);
      const page = await deps.store.lookups({ actor: q.operator, org: q.org, limit: q.limit }, q.cursor);
      res.json({ items: page.items.map(lookupJson), next: page.next });
    })
    .all(methodNotAllowed(['GET']));

  r.route('/audit')
    .get(requireOperator, async (req, res) => {
      const q = readQuery(AUDIT_QUERY, req.query);
      const page = await deps.store.lookups({ actor: q.operator, org: q.org, limit: q.limit }, q.cursor);
      const older = new URLSearchParams();
      if (q.operator) older.set('operator', q.operator);
      if (q.org) older.set('org', q.org);
      if (page.next) older.set('cursor', page.next);
      res.render('audit', {
        title: 'Audit of lookups',
        filters: { operator: q.operator ?? '', org: q.org ?? '' },
        items: page.items.map((l) => ({ ...lookupJson(l), time: iso(l.time).replace('T', ' ').slice(0, 19), href: targetHref(l) })),
        older: page.next ? `/audit?${older.toString()}` : null,
      });
    })
    .all(methodNotAllowed(['GET']));

  return r;
}
