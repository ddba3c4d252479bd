/**
 * The PostgreSQL Store: the same semantics as SqliteStore (one contract suite
 * runs against both), on a `pg` Pool, inside one schema that migrations create
 * at open. Every statement is parameterised; connection failures surface as
 * StoreError naming the server. `new PostgresStore({...})` migrates on first
 * use; `await PostgresStore.open({...})` migrates (and fails) up front.
 * Assembled from one part per concept (compose-store.ts), every part
 * querying through this store's pool, migrations and error mapping.
 */
import type pg from 'pg';
import type { LimiterSpec } from '../../model/access.js';
import type { CheckRecord } from '../../model/health.js';
import type { LookupEntry, LookupFilter } from '../../model/lookup.js';
import type { Inventory } from '../../model/inventory.js';
import { lend } from '../compose-store.js';
import type { PreparedBatch } from '../prepared-batch.js';
import { findRequests, type RequestFilter } from '../search-filter.js';
import type { BulkLimits, PruneResult, Store, WriteBatch } from '../store.js';
import { postgresLimiter } from '../store-limiter.js';
import { PgAccess } from './pg-access.js';
import { PgActivity } from './pg-activity.js';
import { pgAroundEvent } from './pg-around.js';
import { pgCodeByOrg } from './pg-code-by-org.js';
import { checkSchemaName, createPool, describeTarget, inTransaction, mapPgError, type Client, type PgOptions } from './pg-connect.js';
import { PgEventReads } from './pg-event-reads.js';
import { PgIncidentCounts } from './pg-incident-counts.js';
import { PgInventory } from './pg-inventory.js';
import { pgAcquireLeases, pgCheckFence, pgLeaseTable, pgReleaseLeases } from './pg-leases.js';
import { pgLookups, pgRecordLookup } from './pg-lookups.js';
import { pgIngestNotes, pgNoteIngest } from './pg-ingest-notes.js';
import type { IngestNote } from '../../model/ingest-note.js';
import { migrate } from './pg-migrations.js';
import { analyzeDays, createDays, dayNumber, DAY_MS, daysAhead, daysOf, isMissingPartition, KnownDays } from './pg-partitions.js';
import { deleteBefore, dropDaysBefore, pruneChecksBefore, type Tx } from './pg-prune.js';
import { RefCache } from './pg-refs.js';
import { PgTransfer } from './pg-transfer.js';
import { PgWriter } from './pg-writer.js';
import { DEFAULT_REDACTOR, type Redactor } from '../../redact/redactor.js';

export type { PgOptions } from './pg-connect.js';

/** The times a batch's rows are partitioned on: its events' and unparsed lines' (the derived rows take their event's). */
function batchDays(batch: WriteBatch): Set<number> {
  return daysOf(batch.streams.flatMap((sb) => [...sb.events.map((e) => e.time), ...sb.unparsed.map((u) => u.time)]));
}

/** …and a prepared batch's: each block lies in one UTC day (prepared-batch.ts), so its first time gives its day. */
function preparedDays(batch: PreparedBatch): Set<number> {
  return daysOf(batch.streams.flatMap((sb) => [...sb.blocks.flatMap((b) => [b.t0, b.t1]), ...sb.unparsed.map((u) => u.time)]));
}

export interface PostgresStoreOptions extends PgOptions {
  /** Removes secrets from what is written; the built-in rules only (DEFAULT_REDACTOR) when left out. */
  redactor?: Redactor;
}

/** The Store's methods, assembled in the constructor from the parts above (compose-store.ts). */
export interface PostgresStore extends Store {}

/**
 * What a bulk ingest hands PostgreSQL at once: pieces of 1,000 lines (each
 * prepared into blocks on a parser thread and stored as they come) and
 * transactions of at most 8,000, so a transaction's row locks stay small.
 * Chosen when pieces were still decoded back to events here (pieces of
 * 1,000, 2,000 and 4,000 lines ingested within the noise of one another);
 * with blocks, pieces of 4,000 in transactions of 16,000 (SQLite's) were
 * again within the noise on the 200k-line corpus, on a shared machine.
 */
export const PG_BULK_LIMITS: BulkLimits = { pieceLines: 1000, commitLines: 8000 };

export class PostgresStore {
  readonly schema: string;
  private readonly pool: pg.Pool;
  private readonly target: string;
  private ready: Promise<void> | null = null;
  private closed = false;
  private readonly known = new KnownDays();
  /** The days written by the bulk session running now (analysed when it ends), or null outside one. */
  private bulkDays: Set<number> | null = null;

  constructor(opts: PostgresStoreOptions) {
    const redactor = opts.redactor ?? DEFAULT_REDACTOR;
    this.schema = checkSchemaName(opts.schema);
    this.target = describeTarget(opts.connectionString);
    this.pool = createPool(opts);
    const q = this.query.bind(this);
    const refs = new RefCache();
    const writer = new PgWriter(refs, redactor);
    const inv = new PgInventory(q);
    const tx: Tx = (fn) => this.tx('dropping old days', fn);
    const activity = new PgActivity(q);
    const transfer = new PgTransfer(q, (fn) => this.tx('copying records', fn), refs);
    const methods = {
      redactor,
      ...lend(new PgEventReads(q, refs), ['checkpoint', 'streams', 'eventsByCid', 'eventsByCids', 'containerEvents', 'containerTail', 'unparsed', 'stats', 'search', 'codeCounts']),
      ...lend(activity, ['requestCounts', 'requestTotal', 'audits', 'wokChanges', 'lifecycle', 'containers', 'checkHistory']),
      recordChecks: (records: CheckRecord[]) => this.onDays(daysOf(records.map((r) => r.time)), () => activity.recordChecks(records)),
      pruneChecks: (before: number) => this.afterDrop(pruneChecksBefore(q, tx, this.schema, before)),
      ...lend(new PgIncidentCounts(q), ['incidentCounts', 'affectedOrgs']),
      ...lend(inv, ['keysByPrefix', 'wok', 'inventory']),
      ...lend(new PgAccess(q, (fn) => this.tx('updating an operator', fn)), [
        'addOperator', 'operatorByEmail', 'operatorById', 'listOperators', 'setOperatorDisabled', 'setOperatorPassword',
        'createSession', 'session', 'deleteSession', 'deleteSessionsOf', 'createToken', 'tokenByHash', 'listTokens', 'revokeToken', 'touchToken',
      ]),
      ...lend(transfer, ['streamLines', 'checksAfter', 'lookupsAfter', 'newestRecords', 'importOperator', 'importToken', 'idempotencyAfter', 'importIdempotency']),
      importLookups: (entries: readonly LookupEntry[]) => this.onDays(daysOf(entries.map((e) => e.time)), () => transfer.importLookups(entries)),
      writeBatch: (batch: WriteBatch) => this.onDays(batchDays(batch), () => this.tx('writing a batch', async (c) => {
          if (batch.fence) await pgCheckFence(c, batch.fence);
          return writer.write(c, batch);
        })),
      writePrepared: (batch: PreparedBatch) => this.onDays(this.noteBulkDays(preparedDays(batch)), () => this.tx('writing a batch', async (c) => {
          if (batch.fence) await pgCheckFence(c, batch.fence);
          // Bulk ingest of files only: its commit need not wait for the WAL flush. A server crash can lose the last
          // few commits, rows and checkpoints together, and the next ingest reads those lines again from the files.
          await c.query('SET LOCAL synchronous_commit = off');
          return writer.writePrepared(c, batch);
        })),
      // A bulk run's pieces go through the pool as any batch does; at its end, the days it wrote are analysed: its rows
      // arrive far faster than autovacuum (where it runs at all) samples them, and the lookups after it plan on those counts.
      bulkSession: async <T>(fn: () => Promise<T>) => {
        this.bulkDays = new Set();
        try {
          const r = await fn();
          await analyzeDays((sql, params) => this.query(sql, params), this.bulkDays);
          return r;
        } finally {
          this.bulkDays = null;
        }
      },
      bulkLimits: () => PG_BULK_LIMITS,
      putInventory: (i: Inventory) => this.tx('importing the inventory', (c) => inv.put(c, i)),
      prune: async (before: number): Promise<PruneResult> => {
        const droppedDays = await this.afterDrop(dropDaysBefore(q, tx, this.schema, before));
        const events = await deleteBefore(q, before);
        await this.ensureDays(daysAhead(Date.now()));
        return { events: events + droppedDays.reduce((n, d) => n + d.events, 0), droppedDays };
      },
      retentionCut: (before: number) => dayNumber(before) * DAY_MS,
      aroundEvent: (id: string, n: number) => pgAroundEvent(q, refs, id, n),
      recordLookup: (entry: LookupEntry) => this.onDays(daysOf([entry.time]), () => pgRecordLookup(q, entry)),
      lookups: (filter: LookupFilter, cursor?: string | null) => pgLookups(q, filter, cursor),
      noteIngest: (note: IngestNote) => pgNoteIngest(q, note),
      ingestNotes: () => pgIngestNotes(q),
      codeByOrg: (f: { code: string; from: number; to: number }) => pgCodeByOrg(q, f),
      findRequests: (f: RequestFilter, cursor?: string | null) => findRequests(this, f, cursor),
      acquireLeases: (holder: string, keys: readonly string[], ttlMs: number) => pgAcquireLeases(q, holder, keys, ttlMs),
      releaseLeases: (holder: string, keys?: readonly string[]) => pgReleaseLeases(q, holder, keys),
      leaseTable: () => pgLeaseTable(q),
      limiter: (spec: LimiterSpec) => postgresLimiter(this.pool, this.schema, spec, () => this.migrated()),
      close: async () => {
        if (this.closed) return;
        this.closed = true;
        await this.pool.end();
      },
    } satisfies Store;
    Object.assign(this, methods);
  }

  /** Connects and migrates now; a server that cannot be reached is a StoreError here, not at first use. */
  static async open(opts: PostgresStoreOptions): Promise<PostgresStore> {
    const store = new PostgresStore(opts);
    try {
      await store.migrated();
      return store;
    } catch (e) {
      await store.close();
      throw e;
    }
  }

  private migrated(): Promise<void> {
    const fail = (e: unknown) => this.fail(e, `opening schema "${this.schema}"`);
    this.ready ??= inTransaction(this.pool, fail, (c) => migrate(c, this.schema))
      .then(() => inTransaction(this.pool, fail, (c) => createDays(c, this.schema, daysAhead(Date.now()))))
      .then(() => this.known.add(daysAhead(Date.now())))
      .catch((e: unknown) => {
        this.ready = null;
        throw e;
      });
    return this.ready;
  }

  /** Notes a bulk session's days (before onDays adds today's and those ahead to the set); returns the set. */
  private noteBulkDays(days: Set<number>): Set<number> {
    for (const d of days) this.bulkDays?.add(d);
    return days;
  }

  /** Creates the partitions of these days not known to exist, in a transaction of their own (pg-partitions.ts). */
  private async ensureDays(days: Iterable<number>): Promise<void> {
    const missing = this.known.missing(days);
    if (!missing.length) return;
    await this.tx('creating day partitions', (c) => createDays(c, this.schema, missing));
    this.known.add(missing);
  }

  /**
   * Runs a write whose rows fall on these days once their partitions exist,
   * and those of today and the days ahead (so a store that runs for days
   * without prune still makes each day two days early, not at its first row).
   * A write refused for want of a partition (another process dropped a day
   * this one thought was there) learns the partitions again and runs once more.
   */
  private async onDays<T>(days: Set<number>, write: () => Promise<T>): Promise<T> {
    for (const d of daysAhead(Date.now())) days.add(d);
    await this.ensureDays(days);
    try {
      return await write();
    } catch (e) {
      if (!isMissingPartition(e)) throw e;
      this.known.clear();
      await this.ensureDays(days);
      return write();
    }
  }

  /** Runs a prune step that drops days; forgets the partitions it knew of (they are learnt again as needed). */
  private async afterDrop<T>(drop: Promise<T>): Promise<T> {
    try {
      return await drop;
    } finally {
      this.known.clear();
    }
  }

  private async query<T extends object>(sql: string, params?: unknown[], name?: string): Promise<T[]> {
    await this.migrated();
    try {
      return (await this.pool.query<T>(name ? { name, text: sql, values: params } : { text: sql, values: params })).rows;
    } catch (e) {
      throw this.fail(e, 'querying');
    }
  }

  private async tx<T>(context: string, fn: (c: Client) => Promise<T>): Promise<T> {
    await this.migrated();
    return inTransaction(this.pool, (e) => this.fail(e, context), fn);
  }

  private fail(e: unknown, context: string): Error {
    if (this.closed && e instanceof Error && /after calling end|Cannot use a pool/i.test(e.message)) return new Error(`${context}: the store is closed`, { cause: e });
    return mapPgError(e, context, this.target);
  }
}
