/**
 * Day partitions on PostgreSQL: every time-ordered table is PARTITION BY
 * RANGE on its time column (epoch ms), one partition per UTC day, named
 * `<table>_dYYYYMMDD`. Days from 2000-01-01 to 2099-12-31 get a partition of
 * their own; a time outside those years (epoch 0, a garbled year 2400) goes to
 * the table's DEFAULT partition, whose CHECK constraint lets nothing else in.
 * So a row of an ordinary day never lands in DEFAULT: when its partition is
 * missing the insert fails (check_violation on `<table>_default_outside`)
 * instead, and the writer creates the partition and writes again
 * (postgres-store.ts). That also keeps creating a day's partition from ever
 * finding rows of that day in DEFAULT, and PostgreSQL skips scanning DEFAULT
 * when it does, as the constraint already proves it holds none.
 *
 * Partitions are created outside the writes' transactions, in one short
 * transaction of their own under an advisory lock (two writers wanting the
 * same day queue on it: the second finds the tables there), because CREATE
 * TABLE … PARTITION OF locks the parent table until its transaction ends.
 */
import type { Client } from './pg-connect.js';

export const DAY_MS = 86_400_000;
/** The first day with partitions of its own (2000-01-01) and the first without again (2100-01-01), as day numbers. */
export const FIRST_DAY = Date.UTC(2000, 0, 1) / DAY_MS;
export const END_DAY = Date.UTC(2100, 0, 1) / DAY_MS;
/** Days created ahead at open and at each prune: today and the next two. */
export const DAYS_AHEAD = 2;

/** Each partitioned table and the column it is partitioned on. */
export const PARTITIONED = [
  ['blocks', 't0'],
  ['block_cids', 't0'],
  ['requests', 'event_time'],
  ['unparsed', 'time'],
  ['audits', 'time'],
  ['lifecycle', 'time'],
  ['lookups', 'time'],
  ['checks', 'time'],
] as const;

export type PartitionedTable = (typeof PARTITIONED)[number][0];

/** The tables whose days prune drops: all but the health history, which keeps a retention of its own (pruneChecks). */
export const RETAINED: readonly PartitionedTable[] = ['blocks', 'block_cids', 'requests', 'unparsed', 'audits', 'lifecycle', 'lookups'];

/** The UTC day number of an epoch-ms time. */
export function dayNumber(t: number): number {
  return Math.floor(t / DAY_MS);
}

/** The day a time has a partition for, or null when it belongs in DEFAULT. */
export function partitionDay(t: number): number | null {
  if (!Number.isFinite(t)) return null;
  const d = dayNumber(t);
  return d >= FIRST_DAY && d < END_DAY ? d : null;
}

/** 2026-11-24 for a day number. */
export function dayLabel(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export function partitionName(table: PartitionedTable, day: number): string {
  return `${table}_d${dayLabel(day).replaceAll('-', '')}`;
}

/** The tables a write fills, whose partitions of the days a bulk ingest wrote are analysed at its end. */
const WRITTEN: readonly PartitionedTable[] = ['blocks', 'block_cids', 'requests', 'unparsed', 'audits', 'lifecycle'];

/**
 * Analyses the written tables' partitions of these days, those that still
 * exist (another store may have dropped a day meanwhile), in one ANALYZE.
 */
export async function analyzeDays(q: <T extends object>(sql: string, params?: unknown[]) => Promise<T[]>, days: Iterable<number>): Promise<void> {
  const names = [...days].sort((a, b) => a - b).flatMap((d) => WRITTEN.map((t) => partitionName(t, d)));
  if (!names.length) return;
  const have = await q<{ n: string }>('SELECT n FROM unnest($1::text[]) n WHERE to_regclass(n) IS NOT NULL', [names]);
  // Names made here from constants and day numbers, never input.
  if (have.length) await q(`ANALYZE ${have.map((r) => r.n).join(', ')}`);
}

/** The day a partition's name stands for, or null for DEFAULT (or anything else). */
export function dayOfPartition(name: string): number | null {
  const m = /_d(\d{4})(\d{2})(\d{2})$/.exec(name);
  return m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / DAY_MS : null;
}

/** The days holding these times (those with partitions), each once. */
export function daysOf(times: Iterable<number>): Set<number> {
  const out = new Set<number>();
  for (const t of times) {
    const d = partitionDay(t);
    if (d !== null) out.add(d);
  }
  return out;
}

/** Today and the DAYS_AHEAD days after it. */
export function daysAhead(now: number): number[] {
  const today = dayNumber(now);
  return Array.from({ length: DAYS_AHEAD + 1 }, (_, i) => today + i);
}

/** The key of the advisory lock under which partitions are created and dropped in a schema. */
export function partitionLock(schema: string): string {
  return `tellwang-diag partitions ${schema}`;
}

/** Whether an error is an insert refused by a DEFAULT partition: a row whose day has no partition (yet, or any more). */
export function isMissingPartition(e: unknown): boolean {
  const err = (e instanceof Error && (e as { cause?: unknown }).cause) || e;
  const x = err as { code?: unknown; constraint?: unknown };
  return x.code === '23514' && typeof x.constraint === 'string' && x.constraint.endsWith('_default_outside');
}

/**
 * Creates the partitions of these days that are missing, in every
 * partitioned table, inside the caller's (short, own) transaction.
 * Returns the names created.
 */
export async function createDays(c: Client, schema: string, days: readonly number[]): Promise<string[]> {
  const wanted = [...new Set(days)].filter((d) => d >= FIRST_DAY && d < END_DAY).sort((a, b) => a - b);
  if (!wanted.length) return [];
  // Held up behind a long read, the write fails as busy (ingest retries it) rather than queueing every reader behind it for long.
  await c.query(`SET LOCAL lock_timeout = '2s'`);
  await c.query('SELECT pg_advisory_xact_lock(hashtext($1))', [partitionLock(schema)]);
  const names = wanted.flatMap((d) => PARTITIONED.map(([t]) => ({ t, d, name: partitionName(t, d) })));
  const have = await c.query<{ relname: string; relispartition: boolean }>(
    'SELECT relname, relispartition FROM pg_class WHERE relnamespace = $1::regnamespace AND relname = ANY($2::text[])',
    [schema, names.map((n) => n.name)],
  );
  const exists = new Set(have.rows.filter((r) => r.relispartition).map((r) => r.relname));
  const missing = names.filter((n) => !exists.has(n.name));
  if (!missing.length) return [];
  // Names and bounds are made here from day numbers, never from input. A table of the name that is no
  // partition is a day prune detached and had not dropped yet (pg-prune.ts): its rows are gone already.
  await c.query(
    missing
      .map((n) => `DROP TABLE IF EXISTS ${n.name}; CREATE TABLE ${n.name} PARTITION OF ${n.t} FOR VALUES FROM (${n.d * DAY_MS}) TO (${(n.d + 1) * DAY_MS})`)
      .join(';\n'),
  );
  return missing.map((n) => n.name);
}

/** The days whose partitions this process knows exist (a cache: a day another process drops is found by the insert it fails). */
export class KnownDays {
  private readonly days = new Set<number>();

  missing(days: Iterable<number>): number[] {
    return [...days].filter((d) => !this.days.has(d));
  }

  add(days: Iterable<number>): void {
    for (const d of days) this.days.add(d);
  }

  clear(): void {
    this.days.clear();
  }
}
