/**
 * Reads of requests and audit records. Every request lives in its cp block's
 * summary (packed like its lines, or text when written before blocks were
 * packed); failed ones also have rows (failures), and per-minute totals live
 * in traffic. Searches that need failures read the rows; the others scan
 * block summaries newest first and stop as soon as no older block can hold a
 * newer match (a request starts no later than the block's newest line).
 */
import type { AuditRecord } from '../../model/activity.js';
import type { RequestSummary } from '../../model/request.js';
import { decodeCursor, encodeCursor } from '../cursor.js';
import { requestFromRow, type RequestRow } from '../row-mappers.js';
import type { CodeCount, Page, RequestCounts, SearchFilter, WindowFilter } from '../store.js';
import type { Statements } from './statements.js';
import { BLOCK_SPAN_MS } from '../prepared-batch.js';
import { keyOwnerOrder } from '../key-owner.js';
import { auditsFrom, requestsFrom } from '../summary-codec.js';
import { unpackLines, type StoredLines } from '../block-codec.js';
import { searchWhere, SqlWhere, windowWhere } from '../sql-where.js';

const MINUTE = 60_000;
/** Longest request the summary scan expects: a request is found in blocks up to this long after it started. */
export const MAX_REQUEST_MS = 60 * MINUTE;
/** Position of a request in its block, in cursor ids: block id × this + index. */
const PER_BLOCK = 4096;

interface SummaryRow {
  id: number;
  key: string;
  t1: number;
  summary: string;
}


type Owners = Map<string, { org: string; user: string } | null>;

export class RequestQueries {
  private readonly ownerStmt;

  constructor(private readonly st: Statements) {
    this.ownerStmt = st.stmt(`SELECT org, user FROM inv_keys WHERE prefix = ? ORDER BY ${keyOwnerOrder()} LIMIT 1`);
  }

  search(f: SearchFilter, cursor?: string | null): Page<RequestSummary> {
    const limit = Math.min(Math.max(f.limit ?? 50, 1), 500);
    const c = decodeCursor(cursor);
    const failuresOnly = f.failed || f.code !== undefined || (f.status !== undefined && f.status >= 400);
    const page = failuresOnly ? this.searchFailures(f, c, limit) : this.searchSummaries(f, c, limit);
    const last = page.items[page.items.length - 1];
    return { items: page.items.map((x) => x.r), next: page.more && last ? encodeCursor({ time: last.r.time, id: last.id }) : null };
  }

  codeCounts(f: { from: number; to: number; wok?: string; org?: string }): CodeCount[] {
    const w = windowWhere('sqlite', f).add('code IS NOT NULL');
    // The sample is the newest request of the code within the same filter (never one of another org or wok).
    return this.st
      .stmt(
        `SELECT code, count, lastSeen, sampleCid FROM (
           SELECT code, COUNT(*) OVER (PARTITION BY code) AS count, MAX(time) OVER (PARTITION BY code) AS lastSeen, cid AS sampleCid,
                  ROW_NUMBER() OVER (PARTITION BY code ORDER BY time DESC, id DESC) AS rn
           FROM failures WHERE ${w.sql}
         ) WHERE rn = 1 ORDER BY count DESC, code`,
      )
      .all(...w.args) as CodeCount[];
  }

  /** Requests in the window, exact: whole minutes from traffic, the minutes cut by the window's edges from block summaries. */
  requestTotal(f: WindowFilter): number {
    const first = Math.ceil(f.from / MINUTE);
    const last = Math.floor((f.to + 1) / MINUTE) - 1;
    let total = 0;
    if (first <= last) {
      const w = new SqlWhere('sqlite').when('minute', '>=', first).when('minute', '<=', last).when('wok', '=', f.wok).when('org', '=', f.org);
      total += this.st.pluck(`SELECT COALESCE(SUM(total), 0) FROM traffic WHERE ${w.sql}`).get(...w.args) as number;
      if (f.from < first * MINUTE) total += this.countSummaries(f, f.from, first * MINUTE - 1);
      if ((last + 1) * MINUTE <= f.to) total += this.countSummaries(f, (last + 1) * MINUTE, f.to);
    } else {
      total = this.countSummaries(f, f.from, f.to);
    }
    return total;
  }

  /** Totals as requestTotal, failures and per-code counts from the failures rows. */
  requestCounts(f: WindowFilter): RequestCounts {
    const total = this.requestTotal(f);
    const w = windowWhere('sqlite', f);
    const failed = this.st.pluck(`SELECT COUNT(*) FROM failures WHERE ${w.sql} AND status >= 400`).get(...w.args) as number;
    const byCode: Record<string, number> = {};
    for (const r of this.st.stmt(`SELECT code, COUNT(*) AS n FROM failures WHERE ${w.sql} AND code IS NOT NULL GROUP BY code`).all(...w.args) as { code: string; n: number }[]) {
      byCode[r.code] = r.n;
    }
    return { total, failed, byCode };
  }

  /** Requests in total, from the per-minute counts. */
  totalRequests(): number {
    return this.st.pluck('SELECT COALESCE(SUM(total), 0) FROM traffic').get() as number;
  }

  audits(f: WindowFilter): AuditRecord[] {
    const limit = f.limit ?? 100;
    const out: AuditRecord[] = [];
    // A block whose summary does not hold the wok's (or org's) name as a JSON string has none of its entries:
    // a substring test instead of decoding it.
    const needles = [f.wok, f.org].filter((v): v is string => !!v).map((v) => JSON.stringify(v));
    for (const row of this.summaryBlocks('audit', f.from, f.to, 0)) {
      if (out.length >= limit && row.t1 < out[limit - 1]!.time) break;
      if (needles.some((n) => !row.summary.includes(n))) continue;
      for (const a of auditsFrom(row.summary, row.key)) {
        if (a.time < f.from || a.time > f.to || (f.wok && a.wok !== f.wok) || (f.org && a.org !== f.org)) continue;
        out.push(a);
      }
      out.sort((x, y) => y.time - x.time || (x.eventId < y.eventId ? 1 : x.eventId > y.eventId ? -1 : 0));
    }
    return out.slice(0, limit);
  }

  wokChanges(f: WindowFilter): AuditRecord[] {
    const w = windowWhere('sqlite', f);
    return this.st
      .stmt(
        `SELECT event_id AS eventId, time, cid, actor, org, wok, action, outcome FROM wok_changes
         WHERE ${w.sql} ORDER BY time DESC, id DESC LIMIT ${w.arg(f.limit ?? 100)}`,
      )
      .all(...w.args) as AuditRecord[];
  }

  private searchFailures(f: SearchFilter, c: { time: number; id: number } | null, limit: number) {
    const w = searchWhere('sqlite', f, c);
    const rows = this.st.stmt(`SELECT * FROM failures ${w.clause} ORDER BY time DESC, id DESC LIMIT ${w.arg(limit + 1)}`).all(...w.args) as RequestRow[];
    return { items: rows.slice(0, limit).map((r) => ({ r: requestFromRow(r), id: r.id })), more: rows.length > limit };
  }

  private searchSummaries(f: SearchFilter, c: { time: number; id: number } | null, limit: number) {
    const from = f.from ?? Number.MIN_SAFE_INTEGER;
    let to = Math.min(f.to ?? Number.MAX_SAFE_INTEGER, c ? c.time : Number.MAX_SAFE_INTEGER);
    if (f.wok) {
      // The per-minute counts say where the wok's newest request can be: start the scan there, or not at all.
      const newest = this.st
        .pluck('SELECT MAX(minute) FROM traffic WHERE wok = ? AND minute >= ? AND minute <= ?')
        .get(f.wok, Math.floor(Math.max(from, 0) / MINUTE), Math.floor(Math.min(to, 8.64e15) / MINUTE)) as number | null;
      if (newest === null) return { items: [], more: false };
      to = Math.min(to, (newest + 1) * MINUTE - 1);
    }
    const found: { r: RequestSummary; id: number }[] = [];
    const owners: Owners = new Map();
    for (const row of this.summaryBlocks('cp', from, to, MAX_REQUEST_MS)) {
      if (found.length > limit && row.t1 < found[limit]!.r.time) break;
      requestsFrom(row.summary).forEach((r, i) => {
        const id = row.id * PER_BLOCK + i;
        if (r.time < from || r.time > to || (c && (r.time > c.time || (r.time === c.time && id >= c.id)))) return;
        this.name(r, owners);
        if ((f.org && r.org !== f.org) || (f.wok && r.wok !== f.wok) || (f.status !== undefined && r.status !== f.status)) return;
        found.push({ r, id });
      });
      found.sort((x, y) => y.r.time - x.r.time || y.id - x.id);
    }
    return { items: found.slice(0, limit), more: found.length > limit };
  }

  private countSummaries(f: WindowFilter, from: number, to: number): number {
    let n = 0;
    const owners: Owners = new Map();
    for (const row of this.summaryBlocks('cp', from, to, MAX_REQUEST_MS)) {
      for (const r of requestsFrom(row.summary)) {
        if (r.time < from || r.time > to) continue;
        if (f.wok && r.wok !== f.wok) continue;
        if (f.org && this.name(r, owners).org !== f.org) continue;
        n++;
      }
    }
    return n;
  }

  /**
   * Blocks with a summary of one source that can hold items timed in [from, to], newest first.
   * `lead` is how long before its block an item may be timed (a request starts before its line).
   */
  private *summaryBlocks(source: 'cp' | 'audit', from: number, to: number, lead: number): Generator<SummaryRow> {
    const rows = this.st
      .stmt(
        // A block ends at most BLOCK_SPAN_MS after it starts; one that starts after the window (and its lead) holds
        // nothing of it, and is passed over without its summary being read.
        `SELECT b.id, s.key, b.t1, b.summary FROM blocks b JOIN streams s ON s.id = b.stream
         WHERE b.source = ? AND b.summary IS NOT NULL AND b.t1 >= ? AND b.t1 <= ? AND b.t0 <= ? ORDER BY b.t1 DESC, b.id DESC`,
      )
      .iterate(source, from, Math.min(Number.MAX_SAFE_INTEGER, to + lead + BLOCK_SPAN_MS), Math.min(Number.MAX_SAFE_INTEGER, to + lead)) as IterableIterator<
      Omit<SummaryRow, 'summary'> & { summary: StoredLines }
    >;
    // Unpacked one at a time, as the caller asks: a scan that stops early inflates no more than it reads.
    for (const row of rows) yield { ...row, summary: unpackLines(row.summary) };
  }

  /** Names a request's caller from the inventory when the line did not (org and user by its key prefix). */
  private name(r: RequestSummary, owners: Owners): RequestSummary {
    if ((r.org === null || r.user === null) && r.keyPrefix) {
      let owner = owners.get(r.keyPrefix);
      if (owner === undefined) {
        owner = (this.ownerStmt.get(r.keyPrefix) as { org: string; user: string } | undefined) ?? null;
        owners.set(r.keyPrefix, owner);
      }
      if (owner) {
        r.org ??= owner.org;
        r.user ??= owner.user;
      }
    }
    return r;
  }
}
