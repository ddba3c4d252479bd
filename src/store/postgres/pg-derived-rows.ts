/**
 * The rows PostgreSQL derives from newly stored blocks, inside the batch's
 * transaction, from what each prepared block carries (prepared-batch.ts):
 * request summaries (the cp blocks' summaries; callers named from the
 * inventory as SQLite does at ingest), audit records (the audit blocks'
 * summaries) and lifecycle records, each by COPY straight into its table in
 * the order given; and the containers seen.
 */
import type { AuditRecord, LifecycleRecord } from '../../model/activity.js';
import type { ContainerRef } from '../../model/event.js';
import type { RequestSummary } from '../../model/request.js';
import { unpackLines } from '../block-codec.js';
import { auditsFrom, requestsFrom } from '../summary-codec.js';
import type { BlockItem } from './pg-blocks.js';
import type { Client } from './pg-connect.js';
import { copyInto } from './pg-copy-text.js';
import { pgKeyOwners } from './pg-inventory.js';

/** Log text for a derived text column: PostgreSQL text cannot hold NUL, so it becomes U+FFFD. */
export function pgText(s: string | null): string | null {
  return s !== null && s.includes('\u0000') ? s.replaceAll('\u0000', '\uFFFD') : s;
}

/** The columns a request summary is COPYed into, in order (id and the rest come from the table). */
const REQUEST_COLUMNS = ['cid', 'time', 'method', 'path', 'status', 'code', 'org', 'user_name', 'key_prefix', 'wok', 'duration_ms', 'message', 'event_time'] as const;

/**
 * Request summaries by COPY straight into requests, in the order given (their
 * ids follow it), a caller named only by key prefix given the key's owner
 * (pg-inventory.ts, by the rule of key-owner.ts, as SQLite's ingest does).
 */
async function insertRequests(c: Client, rows: { r: RequestSummary; eventTime: number }[]): Promise<void> {
  if (!rows.length) return;
  const unnamed = new Set<string>();
  for (const { r } of rows) if (r.keyPrefix !== null && (r.org === null || r.user === null)) unnamed.add(r.keyPrefix);
  const owners = await pgKeyOwners(c, [...unnamed]);
  await copyInto(
    c,
    'requests',
    REQUEST_COLUMNS,
    (function* () {
      for (const { r, eventTime } of rows) {
        const o = r.keyPrefix !== null && (r.org === null || r.user === null) ? owners.get(r.keyPrefix) : undefined;
        const org = r.org ?? o?.org ?? null;
        const user = r.user ?? o?.user ?? null;
        yield [r.cid, r.time, pgText(r.method), pgText(r.path), r.status, pgText(r.code), pgText(org), pgText(user), pgText(r.keyPrefix), pgText(r.wok), r.durationMs, pgText(r.message), eventTime];
      }
    })(),
  );
}

/**
 * The time of the line a request was read from (requests are partitioned and
 * retained by it): the request's start plus its duration, as summarize()
 * took it off, kept within its block's times so it falls on the block's day.
 */
function eventTime(r: RequestSummary, b: BlockItem['block']): number {
  return Math.min(b.t1, Math.max(b.t0, Math.round(r.time + (r.durationMs ?? 0))));
}

export async function insertActivity(c: Client, stored: readonly BlockItem[]): Promise<void> {
  const requests: { r: RequestSummary; eventTime: number }[] = [];
  const audits: AuditRecord[] = [];
  const life: LifecycleRecord[] = [];
  for (const { key, block } of stored) {
    if (block.summary && block.source === 'cp') for (const r of requestsFrom(unpackLines(block.summary))) requests.push({ r, eventTime: eventTime(r, block) });
    else if (block.summary && block.source === 'audit') audits.push(...auditsFrom(unpackLines(block.summary), key));
    life.push(...block.lifecycle);
  }
  await insertRequests(c, requests);
  // Audit and lifecycle records by COPY too, in the order given (their ids follow it).
  if (audits.length) {
    await copyInto(
      c,
      'audits',
      ['event_id', 'time', 'cid', 'actor', 'org', 'wok', 'action', 'outcome'],
    audits.map((a) => [a.eventId, a.time, a.cid, pgText(a.actor), pgText(a.org), pgText(a.wok), pgText(a.action), pgText(a.outcome)]),
    );
  }
  if (life.length) {
    await copyInto(
      c,
      'lifecycle',
      ['event_id', 'container_id', 'wok', 'time', 'state', 'message'],
      life.map((l) => [l.eventId, pgText(l.containerId), pgText(l.wok), l.time, l.state, pgText(l.message)]),
    );
  }
}

/** Containers seen in the batch: newest non-null name/wok/role/image, first and last time seen. */
export async function upsertContainers(c: Client, stored: readonly BlockItem[]): Promise<void> {
  const seen = new Map<string, ContainerRef & { t0: number; t1: number }>();
  for (const { block } of stored) {
    const k = block.container;
    if (block.source !== 'container' || !k) continue;
    const prev = seen.get(k.id);
    seen.set(k.id, {
      id: k.id,
      name: k.name ?? prev?.name ?? null,
      wok: k.wok ?? prev?.wok ?? null,
      role: k.role ?? prev?.role ?? null,
      image: k.image ?? prev?.image ?? null,
      t0: Math.min(prev?.t0 ?? block.t0, block.t0),
      t1: Math.max(prev?.t1 ?? block.t1, block.t1),
    });
  }
  if (!seen.size) return;
  const list = [...seen.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  await c.query(
    `INSERT INTO containers (id, name, wok, role, image, first_seen, last_seen)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::bigint[])
     ON CONFLICT (id) DO UPDATE SET name = COALESCE(EXCLUDED.name, containers.name), wok = COALESCE(EXCLUDED.wok, containers.wok),
       role = COALESCE(EXCLUDED.role, containers.role), image = COALESCE(EXCLUDED.image, containers.image),
       first_seen = LEAST(containers.first_seen, EXCLUDED.first_seen), last_seen = GREATEST(containers.last_seen, EXCLUDED.last_seen)`,
    [list.map((x) => pgText(x.id)), list.map((x) => pgText(x.name)), list.map((x) => pgText(x.wok)), list.map((x) => pgText(x.role)), list.map((x) => pgText(x.image)), list.map((x) => x.t0), list.map((x) => x.t1)],
  );
}
