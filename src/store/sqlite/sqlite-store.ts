/**
 * The SQLite Store: one file, WAL, better-sqlite3. Assembled from one part
 * per concept (compose-store.ts), all on the same connection and its
 * statement cache (statements.ts): block writes (block-writer.ts) and the cid index
 * (cid-index.ts), event reads (event-reads.ts), requests and audits
 * (request-queries.ts), lifecycle and check history (activity-queries.ts),
 * the inventory (inventory-tables.ts), access (access-tables.ts), retention
 * (prune-blocks.ts). Reads are short indexed lookups safe on a request path;
 * writes (writeBatch, prune, compaction) are meant for an ingest worker with
 * its own connection.
 */
import type { LimiterSpec } from '../../model/access.js';
import { lend } from '../compose-store.js';
import { prepareBatch, type PreparedBatch } from '../prepared-batch.js';
import { findRequests, type RequestFilter } from '../search-filter.js';
import type { Stats, Store, WindowFilter, WriteBatch, WriteResult } from '../store.js';
import { sqliteLimiter } from '../store-limiter.js';
import { AccessTables } from './access-tables.js';
import { ActivityQueries } from './activity-queries.js';
import { aroundEvent } from './around-reads.js';
import { BlockWriter } from './block-writer.js';
import { CidIndex } from './cid-index.js';
import { codeByOrg } from './code-by-org.js';
import { countDistinctCids } from './distinct-cids.js';
import { EventReads } from './event-reads.js';
import { IncidentCounts } from './incident-counts.js';
import { InventoryTables } from './inventory-tables.js';
import { LookupTable } from './lookup-table.js';
import { openDatabase, type Db, type OpenOptions } from './open-database.js';
import { DEFAULT_REDACTOR, type Redactor } from '../../redact/redactor.js';
import { pruneBefore } from './prune-blocks.js';
import { RequestQueries } from './request-queries.js';
import { Statements } from './statements.js';

/** The Store's methods, assembled in the constructor from the parts above (compose-store.ts). */
export interface SqliteStore extends Store {}

/** SQLite page cache of the connection while a bulk ingest writes (KiB): it appends, a small cache does. */
const BULK_CACHE_KIB = 8000;

/** Runs `fn` with the small page cache of a bulk ingest on `db`, and puts the cache back after. */
async function bulkSession<T>(db: Db, fn: () => Promise<T>): Promise<T> {
  const cache = db.pragma('cache_size', { simple: true }) as number;
  db.pragma(`cache_size = -${BULK_CACHE_KIB}`);
  try {
    return await fn();
  } finally {
    if (db.open) db.pragma(`cache_size = ${cache}`);
  }
}

export interface SqliteStoreOptions extends OpenOptions {
  /** Removes secrets from what is written; the built-in rules only (DEFAULT_REDACTOR) when left out. */
  redactor?: Redactor;
}

export class SqliteStore {
  readonly db: Db;

  constructor(readonly file: string, opts: SqliteStoreOptions = {}) {
    const redactor = opts.redactor ?? DEFAULT_REDACTOR;
    const db = (this.db = openDatabase(file, opts));
    // This connection's prepared statements, shared by every part.
    const st = new Statements(db);
    const cids = new CidIndex(db);
    const writer = new BlockWriter(db, cids, redactor);
    const reads = new EventReads(st, cids);
    const requests = new RequestQueries(st);
    const incidents = new IncidentCounts(st);
    const lookups = new LookupTable(st);
    const writePrepared = async (batch: PreparedBatch): Promise<WriteResult> => {
      const result = writer.write(batch);
      try {
        cids.compactSmall();
      } catch {
        // Upkeep in its own transaction after the batch committed: if the file is busy, the next write merges.
      }
      return result;
    };
    const methods = {
      redactor,
      ...lend(reads, ['checkpoint', 'streams', 'eventsByCid', 'eventsByCids', 'containerEvents', 'containerTail', 'unparsed']),
      ...lend(requests, ['search', 'codeCounts', 'requestCounts', 'audits', 'wokChanges']),
      ...lend(incidents, ['incidentCounts', 'affectedOrgs']),
      ...lend(new ActivityQueries(db, st), ['lifecycle', 'containers', 'recordChecks', 'checkHistory', 'pruneChecks']),
      ...lend(new InventoryTables(db, st), ['putInventory', 'keysByPrefix', 'wok', 'inventory']),
      ...lend(lookups, ['recordLookup', 'lookups']),
      ...lend(new AccessTables(db, st), [
        'addOperator', 'operatorByEmail', 'operatorById', 'listOperators', 'setOperatorDisabled', 'setOperatorPassword',
        'createSession', 'session', 'deleteSession', 'deleteSessionsOf', 'createToken', 'tokenByHash', 'listTokens', 'revokeToken', 'touchToken',
      ]),
      writeBatch: (batch: WriteBatch) => writePrepared(prepareBatch(batch, redactor)),
      /** A batch already turned into blocks (prepared-batch.ts), as bulk ingest makes in its parser threads: this thread then only runs SQL. */
      writePrepared,
      bulkSession: <T>(fn: () => Promise<T>) => bulkSession(db, fn),
      // One writer, blocks committed as they come: a bulk ingest's own defaults suit it.
      bulkLimits: () => null,
      stats: async (): Promise<Stats> => ({ ...reads.stats(), correlationIds: await countDistinctCids(db, file), requests: requests.totalRequests() }),
      requestTotal: async (f: WindowFilter & { code?: string }) => (f.code ? incidents.codeTotal({ ...f, code: f.code }) : requests.requestTotal(f)),
      codeByOrg: async (f: { code: string; from: number; to: number }) => codeByOrg(st, f),
      aroundEvent: async (id: string, n: number) => aroundEvent(st, id, n),
      findRequests: (f: RequestFilter, cursor?: string | null) => findRequests(this, f, cursor),
      limiter: (spec: LimiterSpec) => sqliteLimiter(db, spec),
      prune: async (before: number) => {
        lookups.prune(before);
        return pruneBefore(db, st, cids, before);
      },
      close: async () => {
        if (!db.open) return;
        try {
          db.pragma('wal_checkpoint(PASSIVE)');
        } catch {
          // another connection may hold the lock; the next checkpoint will do
        }
        db.close();
      },
    } satisfies Store;
    Object.assign(this, methods);
  }
}
