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
import type { LookupEntry, LookupFilter } from '../../model/lookup.js';
import type { Inventory } from '../../model/inventory.js';
import { lend } from '../compose-store.js';
import type { PreparedBatch } from '../prepared-batch.js';
import { findRequests, type RequestFilter } from '../search-filter.js';
import type { BulkLimits, Store, WriteBatch } from '../store.js';
import { postgresLimiter } from '../store-limiter.js';
import { PgAccess } from './pg-access.js';
import { PgActivity } from './pg-activity.js';
import { pgAroundEvent } from './pg-around.js';
import { pgCodeByOrg } from './pg-code-by-org.js';
import { checkSchemaName, createPool, describeTarget, inTransaction, mapPgError, type Client, type PgOptions } from './pg-connect.js';
import { PgEventReads } from './pg-event-reads.js';
import { PgIncidentCounts } from './pg-incident-counts.js';
import { PgInventory } from './pg-inventory.js';
import { pgLookups, pgPruneLookups, pgRecordLookup } from './pg-lookups.js';
import { pgIngestNotes, pgNoteIngest } from './pg-ingest-notes.js';
import type { IngestNote } from '../../model/ingest-note.js';
import { migrate } from './pg-migrations.js';
import { pruneBefore } from './pg-prune.js';
import { RefCache } from './pg-refs.js';
import { PgWriter } from './pg-writer.js';
import { DEFAULT_REDACTOR, type Redactor } from '../../redact/redactor.js';

export type { PgOptions } from './pg-connect.js';

export interface PostgresStoreOptions extends PgOptions {
  /** Removes secrets from what is written; the built-in rules only (DEFAULT_REDACTOR) when left out. */
  redactor?: Redactor;
}

/** The Store's methods, assembled in the constructor from the parts above (compose-store.ts). */
export interface PostgresStore extends Store {}

/**
 * What a bulk ingest hands PostgreSQL at once: pieces of 1,000 lines (each
 * decoded back to events on the ingest thread and sent by COPY) and
 * transactions of at most 8,000, so a transaction's row locks and the events
 * decoded for it stay small. With COPY a piece costs a dozen round trips
 * whatever its size, but larger ones bought nothing measurable: on 50k- and
 * 200k-line corpora pieces of 1,000, 2,000 and 4,000 lines (transactions of
 * 8,000 or 16,000) ingested within the noise of one another, the larger ones
 * with a little more CPU (a piece's decoded events outlive the ingest
 * thread's 16 MiB young generation).
 */
export const PG_BULK_LIMITS: BulkLimits = { pieceLines: 1000, commitLines: 8000 };

export class PostgresStore {
  readonly schema: string;
  private readonly pool: pg.Pool;
  private readonly target: string;
  private ready: Promise<void> | null = null;
  private closed = false;

  constructor(opts: PostgresStoreOptions) {
    const redactor = opts.redactor ?? DEFAULT_REDACTOR;
    this.schema = checkSchemaName(opts.schema);
    this.target = describeTarget(opts.connectionString);
    this.pool = createPool(opts);
    const q = this.query.bind(this);
    const refs = new RefCache();
    const writer = new PgWriter(refs, redactor);
    const inv = new PgInventory(q);
    const methods = {
      redactor,
      ...lend(new PgEventReads(q, refs), ['checkpoint', 'streams', 'eventsByCid', 'eventsByCids', 'containerEvents', 'containerTail', 'unparsed', 'stats', 'search', 'codeCounts']),
      ...lend(new PgActivity(q), ['requestCounts', 'requestTotal', 'audits', 'wokChanges', 'lifecycle', 'containers', 'recordChecks', 'checkHistory', 'pruneChecks']),
      ...lend(new PgIncidentCounts(q), ['incidentCounts', 'affectedOrgs']),
      ...lend(inv, ['keysByPrefix', 'wok', 'inventory']),
      ...lend(new PgAccess(q, (fn) => this.tx('updating an operator', fn)), [
        'addOperator', 'operatorByEmail', 'operatorById', 'listOperators', 'setOperatorDisabled', 'setOperatorPassword',
        'createSession', 'session', 'deleteSession', 'deleteSessionsOf', 'createToken', 'tokenByHash', 'listTokens', 'revokeToken', 'touchToken',
      ]),
      writeBatch: (batch: WriteBatch) => this.tx('writing a batch', (c) => writer.write(c, batch)),
      writePrepared: (batch: PreparedBatch) => this.tx('writing a batch', (c) => writer.writePrepared(c, batch)),
      // Nothing to set for a bulk run: its pieces go through the pool as any batch does.
      bulkSession: <T>(fn: () => Promise<T>) => fn(),
      bulkLimits: () => PG_BULK_LIMITS,
      putInventory: (i: Inventory) => this.tx('importing the inventory', (c) => inv.put(c, i)),
      prune: async (before: number) => {
        await pgPruneLookups(q, before);
        return pruneBefore(q, before);
      },
      aroundEvent: (id: string, n: number) => pgAroundEvent(q, refs, id, n),
      recordLookup: (entry: LookupEntry) => pgRecordLookup(q, entry),
      lookups: (filter: LookupFilter, cursor?: string | null) => pgLookups(q, filter, cursor),
      noteIngest: (note: IngestNote) => pgNoteIngest(q, note),
      ingestNotes: () => pgIngestNotes(q),
      codeByOrg: (f: { code: string; from: number; to: number }) => pgCodeByOrg(q, f),
      findRequests: (f: RequestFilter, cursor?: string | null) => findRequests(this, f, cursor),
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
    this.ready ??= inTransaction(this.pool, (e) => this.fail(e, `opening schema "${this.schema}"`), (c) => migrate(c, this.schema)).catch((e: unknown) => {
      this.ready = null;
      throw e;
    });
    return this.ready;
  }

  private async query<T extends object>(sql: string, params?: unknown[]): Promise<T[]> {
    await this.migrated();
    try {
      return (await this.pool.query<T>(sql, params)).rows;
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
