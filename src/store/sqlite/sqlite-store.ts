/**
 * The SQLite Store: one file, WAL, better-sqlite3. A thin composition of one
 * part per concept, all on the same connection and its statement cache
 * (statements.ts): block writes (block-writer.ts) and the cid index
 * (cid-index.ts), event reads (event-reads.ts), requests and audits
 * (request-queries.ts), lifecycle and check history (activity-queries.ts),
 * the inventory (inventory-tables.ts), access (access-tables.ts), retention
 * (prune-blocks.ts). Reads are short indexed lookups safe on a request path;
 * writes (writeBatch, prune, compaction) are meant for an ingest worker with
 * its own connection.
 */
import type { ApiToken, Limiter, LimiterSpec, Operator, Session, TokenScope } from '../../model/access.js';
import { sqliteLimiter } from '../store-limiter.js';
import type { AuditRecord, LifecycleRecord } from '../../model/activity.js';
import type { Event, Unparsed } from '../../model/event.js';
import type { CheckRecord } from '../../model/health.js';
import type { Inventory, InventoryKey, InventoryWok } from '../../model/inventory.js';
import type { RequestSummary } from '../../model/request.js';
import type { Checkpoint, StreamState } from '../../model/stream.js';
import type {
  CodeCount,
  ContainerInfo,
  ContextFilter,
  Page,
  RequestCounts,
  SearchFilter,
  Stats,
  Store,
  WindowFilter,
  WriteBatch,
  OrgCodeCount,
  WriteResult,
} from '../store.js';
import { AccessTables } from './access-tables.js';
import { ActivityQueries } from './activity-queries.js';
import { BlockWriter } from './block-writer.js';
import { CidIndex } from './cid-index.js';
import { EventReads } from './event-reads.js';
import { aroundEvent } from './around-reads.js';
import { LookupTable } from './lookup-table.js';
import type { Around } from '../../model/around.js';
import type { LookupEntry, LookupFilter, LookupRecord } from '../../model/lookup.js';
import { InventoryTables } from './inventory-tables.js';
import { openDatabase, type Db, type OpenOptions } from './open-database.js';
import { prepareBatch, type PreparedBatch } from '../prepared-batch.js';
import { pruneBefore } from './prune-blocks.js';
import { RequestQueries } from './request-queries.js';
import { Statements } from './statements.js';
import { countDistinctCids } from './distinct-cids.js';
import { codeByOrg } from './code-by-org.js';
import { IncidentCounts } from './incident-counts.js';
import type { AffectedOrg, IncidentCount } from '../store.js';
import { findRequests, type RequestFilter, type RequestPage } from '../search-filter.js';

export class SqliteStore implements Store {
  readonly db: Db;
  /** This connection's prepared statements, shared by every part. */
  private readonly st: Statements;
  private readonly cids: CidIndex;
  private readonly writer: BlockWriter;
  private readonly reads: EventReads;
  private readonly inv: InventoryTables;
  private readonly access: AccessTables;
  private readonly activity: ActivityQueries;
  private readonly requests: RequestQueries;
  private readonly lookupTable: LookupTable;
  private readonly incidents: IncidentCounts;

  constructor(readonly file: string, opts: OpenOptions = {}) {
    this.db = openDatabase(file, opts);
    this.st = new Statements(this.db);
    this.cids = new CidIndex(this.db);
    this.writer = new BlockWriter(this.db, this.cids);
    this.reads = new EventReads(this.st, this.cids);
    this.lookupTable = new LookupTable(this.st);
    this.inv = new InventoryTables(this.db, this.st);
    this.access = new AccessTables(this.db, this.st);
    this.activity = new ActivityQueries(this.db, this.st);
    this.requests = new RequestQueries(this.st);
    this.incidents = new IncidentCounts(this.st);
  }

  async writeBatch(batch: WriteBatch): Promise<WriteResult> {
    return this.writePrepared(prepareBatch(batch));
  }

  /**
   * Writes a batch already turned into blocks (prepared-batch.ts), as bulk
   * ingest does in its parser threads: this thread then only runs SQL.
   */
  async writePrepared(batch: PreparedBatch): Promise<WriteResult> {
    const result = this.writer.write(batch);
    try {
      this.cids.compactSmall();
    } catch {
      // Upkeep in its own transaction after the batch committed: if the file is busy, the next write merges.
    }
    return result;
  }

  async checkpoint(streamKey: string): Promise<Checkpoint | null> {
    return this.reads.checkpoint(streamKey);
  }

  async streams(): Promise<StreamState[]> {
    return this.reads.streams();
  }

  async eventsByCid(cid: string): Promise<Event[]> {
    return this.reads.eventsByCid(cid);
  }

  async eventsByCids(cids: readonly string[]): Promise<Map<string, Event[]>> {
    return this.reads.eventsByCids(cids);
  }

  async containerEvents(f: ContextFilter): Promise<Event[]> {
    return this.reads.containerEvents(f);
  }

  async search(f: SearchFilter, cursor?: string | null): Promise<Page<RequestSummary>> {
    return this.requests.search(f, cursor);
  }

  async codeCounts(f: { from: number; to: number; wok?: string; org?: string }): Promise<CodeCount[]> {
    return this.requests.codeCounts(f);
  }

  async unparsed(cursor?: string | null, limit = 100): Promise<Page<Unparsed>> {
    return this.reads.unparsed(cursor, limit);
  }

  async stats(): Promise<Stats> {
    const correlationIds = await countDistinctCids(this.db, this.file);
    return { ...this.reads.stats(), correlationIds, requests: this.requests.totalRequests() };
  }

  async putInventory(inv: Inventory) {
    return this.inv.put(inv);
  }

  async keysByPrefix(prefix: string): Promise<InventoryKey[]> {
    return this.inv.keysByPrefix(prefix);
  }

  async wok(id: string): Promise<InventoryWok | null> {
    return this.inv.wok(id);
  }

  async inventory(): Promise<Inventory> {
    return this.inv.all();
  }

  async requestCounts(f: WindowFilter): Promise<RequestCounts> {
    return this.requests.requestCounts(f);
  }

  async audits(f: WindowFilter): Promise<AuditRecord[]> {
    return this.requests.audits(f);
  }

  async wokChanges(f: WindowFilter): Promise<AuditRecord[]> {
    return this.requests.wokChanges(f);
  }

  async lifecycle(f: WindowFilter): Promise<LifecycleRecord[]> {
    return this.activity.lifecycle(f);
  }

  async containers(wok: string): Promise<ContainerInfo[]> {
    return this.activity.containers(wok);
  }

  async containerTail(containerId: string, limit: number): Promise<Event[]> {
    return this.reads.containerTail(containerId, limit);
  }

  async recordChecks(records: CheckRecord[]): Promise<void> {
    this.activity.recordChecks(records);
  }

  async checkHistory(f: { from: number; to: number; check?: string }): Promise<CheckRecord[]> {
    return this.activity.checkHistory(f);
  }

  async pruneChecks(before: number): Promise<number> {
    return this.activity.pruneChecks(before);
  }

  async addOperator(email: string, passwordHash: string): Promise<Operator> {
    return this.access.addOperator(email, passwordHash);
  }

  async operatorByEmail(email: string): Promise<Operator | null> {
    return this.access.operatorByEmail(email);
  }

  async operatorById(id: number): Promise<Operator | null> {
    return this.access.operatorById(id);
  }

  async listOperators(): Promise<Operator[]> {
    return this.access.listOperators();
  }

  async setOperatorDisabled(email: string, disabled: boolean): Promise<boolean> {
    return this.access.setOperatorDisabled(email, disabled);
  }

  async setOperatorPassword(email: string, passwordHash: string): Promise<boolean> {
    return this.access.setOperatorPassword(email, passwordHash);
  }

  async createSession(s: Session): Promise<void> {
    this.access.createSession(s);
  }

  async session(idHash: string, now: number): Promise<{ session: Session; operator: Operator } | null> {
    return this.access.session(idHash, now);
  }

  async deleteSession(idHash: string): Promise<void> {
    this.access.deleteSession(idHash);
  }

  async deleteSessionsOf(operatorId: number): Promise<void> {
    this.access.deleteSessionsOf(operatorId);
  }

  async createToken(t: { name: string; scope: TokenScope; hash: string; createdAt: number }): Promise<ApiToken> {
    return this.access.createToken(t);
  }

  limiter(spec: LimiterSpec): Limiter {
    return sqliteLimiter(this.db, spec);
  }

  async tokenByHash(hash: string): Promise<ApiToken | null> {
    return this.access.tokenByHash(hash);
  }

  async listTokens(): Promise<ApiToken[]> {
    return this.access.listTokens();
  }

  async revokeToken(name: string, now: number): Promise<boolean> {
    return this.access.revokeToken(name, now);
  }

  async touchToken(id: number, now: number): Promise<void> {
    this.access.touchToken(id, now);
  }

  async prune(before: number): Promise<number> {
    this.lookupTable.prune(before);
    return pruneBefore(this.db, this.st, this.cids, before);
  }

  async aroundEvent(id: string, n: number): Promise<Around | null> {
    return aroundEvent(this.st, id, n);
  }

  async recordLookup(entry: LookupEntry): Promise<void> {
    this.lookupTable.record(entry);
  }

  async lookups(filter: LookupFilter, cursor?: string | null): Promise<Page<LookupRecord>> {
    return this.lookupTable.list(filter, cursor);
  }

  async requestTotal(f: WindowFilter & { code?: string }): Promise<number> {
    return f.code ? this.incidents.codeTotal({ ...f, code: f.code }) : this.requests.requestTotal(f);
  }

  async incidentCounts(f: { from: number; to: number; buckets: number }): Promise<IncidentCount[]> {
    return this.incidents.incidentCounts(f);
  }

  async affectedOrgs(f: { from: number; to: number; codes: string[]; limit?: number }): Promise<AffectedOrg[]> {
    return this.incidents.affectedOrgs(f);
  }

  findRequests(f: RequestFilter, cursor?: string | null): Promise<RequestPage> {
    return findRequests(this, f, cursor);
  }

  async close(): Promise<void> {
    if (this.db.open) {
      try {
        this.db.pragma('wal_checkpoint(PASSIVE)');
      } catch {
        // another connection may hold the lock; the next checkpoint will do
      }
      this.db.close();
    }
  }

  async codeByOrg(f: { code: string; from: number; to: number }): Promise<OrgCodeCount[]> {
    return codeByOrg(this.st, f);
  }
}
