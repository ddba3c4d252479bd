/**
 * The PostgreSQL Store: the same semantics as SqliteStore (one contract suite
 * runs against both), on a `pg` Pool, inside one schema that migrations create
 * at open. Every statement is parameterised; connection failures surface as
 * StoreError naming the server. `new PostgresStore({...})` migrates on first
 * use; `await PostgresStore.open({...})` migrates (and fails) up front.
 */
import type pg from 'pg';
import type { ApiToken, Limiter, LimiterSpec, Operator, Session, TokenScope } from '../../model/access.js';
import { postgresLimiter } from '../store-limiter.js';
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
import { PgAccess } from './pg-access.js';
import { PgActivity } from './pg-activity.js';
import { checkSchemaName, createPool, describeTarget, inTransaction, mapPgError, type Client, type PgOptions } from './pg-connect.js';
import { PgEventReads } from './pg-event-reads.js';
import { PgInventory } from './pg-inventory.js';
import { migrate } from './pg-migrations.js';
import { pruneBefore } from './pg-prune.js';
import { pgAroundEvent } from './pg-around.js';
import { pgLookups, pgPruneLookups, pgRecordLookup } from './pg-lookups.js';
import type { Around } from '../../model/around.js';
import type { LookupEntry, LookupFilter, LookupRecord } from '../../model/lookup.js';
import { RefCache } from './pg-refs.js';
import { PgWriter } from './pg-writer.js';
import { PgIncidentCounts } from './pg-incident-counts.js';
import type { AffectedOrg, IncidentCount } from '../store.js';
import { findRequests, type RequestFilter, type RequestPage } from '../search-filter.js';

export type { PgOptions } from './pg-connect.js';
import { pgCodeByOrg } from './pg-code-by-org.js';

export class PostgresStore implements Store {
  readonly schema: string;
  private readonly pool: pg.Pool;
  private readonly target: string;
  private ready: Promise<void> | null = null;
  private closed = false;
  private readonly refs = new RefCache();
  private readonly writer = new PgWriter(this.refs);
  private readonly reads: PgEventReads;
  private readonly activity: PgActivity;
  private readonly inv: PgInventory;
  private readonly access: PgAccess;
  private readonly incidents: PgIncidentCounts;

  constructor(opts: PgOptions) {
    this.schema = checkSchemaName(opts.schema);
    this.target = describeTarget(opts.connectionString);
    this.pool = createPool(opts);
    const q = this.query.bind(this);
    this.reads = new PgEventReads(q, this.refs);
    this.activity = new PgActivity(q);
    this.inv = new PgInventory(q);
    this.access = new PgAccess(q, (fn) => this.tx('updating an operator', fn));
    this.incidents = new PgIncidentCounts(q);
  }

  /** Connects and migrates now; a server that cannot be reached is a StoreError here, not at first use. */
  static async open(opts: PgOptions): Promise<PostgresStore> {
    const store = new PostgresStore(opts);
    try {
      await store.migrated();
      return store;
    } catch (e) {
      await store.close();
      throw e;
    }
  }

  async writeBatch(batch: WriteBatch): Promise<WriteResult> {
    return this.tx('writing a batch', (c) => this.writer.write(c, batch));
  }

  checkpoint(streamKey: string): Promise<Checkpoint | null> {
    return this.reads.checkpoint(streamKey);
  }

  eventsByCid(cid: string): Promise<Event[]> {
    return this.reads.eventsByCid(cid);
  }

  eventsByCids(cids: readonly string[]): Promise<Map<string, Event[]>> {
    return this.reads.eventsByCids(cids);
  }

  containerEvents(f: ContextFilter): Promise<Event[]> {
    return this.reads.containerEvents(f);
  }

  search(f: SearchFilter, cursor?: string | null): Promise<Page<RequestSummary>> {
    return this.reads.search(f, cursor);
  }

  codeCounts(f: { from: number; to: number; wok?: string; org?: string }): Promise<CodeCount[]> {
    return this.reads.codeCounts(f);
  }

  unparsed(cursor?: string | null, limit?: number): Promise<Page<Unparsed>> {
    return this.reads.unparsed(cursor, limit);
  }

  stats(): Promise<Stats> {
    return this.reads.stats();
  }

  streams(): Promise<StreamState[]> {
    return this.reads.streams();
  }

  requestCounts(f: WindowFilter): Promise<RequestCounts> {
    return this.activity.requestCounts(f);
  }

  audits(f: WindowFilter): Promise<AuditRecord[]> {
    return this.activity.audits(f);
  }

  requestTotal(f: WindowFilter & { code?: string }): Promise<number> {
    return this.activity.requestTotal(f);
  }

  wokChanges(f: WindowFilter): Promise<AuditRecord[]> {
    return this.activity.wokChanges(f);
  }

  lifecycle(f: WindowFilter): Promise<LifecycleRecord[]> {
    return this.activity.lifecycle(f);
  }

  containers(wok: string): Promise<ContainerInfo[]> {
    return this.activity.containers(wok);
  }

  containerTail(containerId: string, limit: number): Promise<Event[]> {
    return this.reads.containerTail(containerId, limit);
  }

  putInventory(inv: Inventory): Promise<{ orgs: number; woks: number; keys: number }> {
    return this.tx('importing the inventory', (c) => this.inv.put(c, inv));
  }

  keysByPrefix(prefix: string): Promise<InventoryKey[]> {
    return this.inv.keysByPrefix(prefix);
  }

  wok(id: string): Promise<InventoryWok | null> {
    return this.inv.wok(id);
  }

  inventory(): Promise<Inventory> {
    return this.inv.all();
  }

  recordChecks(records: CheckRecord[]): Promise<void> {
    return this.activity.recordChecks(records);
  }

  checkHistory(f: { from: number; to: number; check?: string }): Promise<CheckRecord[]> {
    return this.activity.checkHistory(f);
  }

  pruneChecks(before: number): Promise<number> {
    return this.activity.pruneChecks(before);
  }

  addOperator(email: string, passwordHash: string): Promise<Operator> {
    return this.access.addOperator(email, passwordHash);
  }

  operatorByEmail(email: string): Promise<Operator | null> {
    return this.access.operatorByEmail(email);
  }

  operatorById(id: number): Promise<Operator | null> {
    return this.access.operatorById(id);
  }

  listOperators(): Promise<Operator[]> {
    return this.access.listOperators();
  }

  setOperatorDisabled(email: string, disabled: boolean): Promise<boolean> {
    return this.access.setOperatorDisabled(email, disabled);
  }

  setOperatorPassword(email: string, passwordHash: string): Promise<boolean> {
    return this.access.setOperatorPassword(email, passwordHash);
  }

  createSession(s: Session): Promise<void> {
    return this.access.createSession(s);
  }

  session(idHash: string, now: number): Promise<{ session: Session; operator: Operator } | null> {
    return this.access.session(idHash, now);
  }

  deleteSession(idHash: string): Promise<void> {
    return this.access.deleteSession(idHash);
  }

  deleteSessionsOf(operatorId: number): Promise<void> {
    return this.access.deleteSessionsOf(operatorId);
  }

  createToken(t: { name: string; scope: TokenScope; hash: string; createdAt: number }): Promise<ApiToken> {
    return this.access.createToken(t);
  }

  limiter(spec: LimiterSpec): Limiter {
    return postgresLimiter(this.pool, this.schema, spec, () => this.migrated());
  }

  tokenByHash(hash: string): Promise<ApiToken | null> {
    return this.access.tokenByHash(hash);
  }

  listTokens(): Promise<ApiToken[]> {
    return this.access.listTokens();
  }

  revokeToken(name: string, now: number): Promise<boolean> {
    return this.access.revokeToken(name, now);
  }

  touchToken(id: number, now: number): Promise<void> {
    return this.access.touchToken(id, now);
  }

  async prune(before: number): Promise<number> {
    await pgPruneLookups(this.query.bind(this), before);
    return pruneBefore(this.query.bind(this), before);
  }

  aroundEvent(id: string, n: number): Promise<Around | null> {
    return pgAroundEvent(this.query.bind(this), this.refs, id, n);
  }

  recordLookup(entry: LookupEntry): Promise<void> {
    return pgRecordLookup(this.query.bind(this), entry);
  }

  lookups(filter: LookupFilter, cursor?: string | null): Promise<Page<LookupRecord>> {
    return pgLookups(this.query.bind(this), filter, cursor);
  }

  findRequests(f: RequestFilter, cursor?: string | null): Promise<RequestPage> {
    return findRequests(this, f, cursor);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
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

  codeByOrg(f: { code: string; from: number; to: number }): Promise<OrgCodeCount[]> {
    return pgCodeByOrg(this.query.bind(this), f);
  }

  incidentCounts(f: { from: number; to: number; buckets: number }): Promise<IncidentCount[]> {
    return this.incidents.incidentCounts(f);
  }

  affectedOrgs(f: { from: number; to: number; codes: string[]; limit?: number }): Promise<AffectedOrg[]> {
    return this.incidents.affectedOrgs(f);
  }
}
