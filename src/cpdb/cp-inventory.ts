/**
 * The live inventory: orgs, woks and keys read from the cp database through
 * the contract, as an InventorySource (what the access rules and the wok view
 * read). Also the wok status rows, which only the cp database has.
 */
import { DiagError } from '../errors/diag-error.js';
import type { InventoryKey, InventorySource, InventoryWok } from '../model/inventory.js';
import type { ContractView } from './contract.js';
import { CpDatabaseError, type CpDatabase } from './cp-database.js';

interface WokRow {
  id: string;
  org_slug: string;
  status: string;
  functions_port: number | null;
  created_at: Date | string | null;
}

interface KeyRow {
  prefix: string;
  sha256: string;
  org_slug: string;
  user_id: string | number;
  kind: string;
  revoked_at: Date | string | null;
}

export interface WokStatusRow {
  wokId: string;
  state: string | null;
  refreshedAt: number | null;
}

const WOK_COLUMNS = 'id, org_slug, status, functions_port, created_at';

function ms(v: Date | string | null): number | null {
  if (v === null) return null;
  const t = v instanceof Date ? v.getTime() : Date.parse(v);
  return Number.isFinite(t) ? t : null;
}

function wokOf(r: WokRow): InventoryWok {
  return { id: r.id, org: r.org_slug, status: r.status, functionsPort: r.functions_port === null ? null : Number(r.functions_port), createdAt: ms(r.created_at) };
}

function keyOf(r: KeyRow): InventoryKey | null {
  const kind = r.kind === 'skl' || r.kind === 'sllm' ? r.kind : null;
  if (!kind || !/^[0-9a-f]{64}$/.test(r.sha256)) return null;
  return { prefix: r.prefix, sha256: r.sha256, org: r.org_slug, user: String(r.user_id), kind, revokedAt: ms(r.revoked_at) };
}

/**
 * A cp database failure on a request path: our envelope, never a stack
 * trace. A view or column of the contract that is not there is the
 * database's configuration (500 DIAG_CP_CONTRACT_MISSING, naming it);
 * anything else is the database not answering (503 DIAG_TIMEOUT).
 */
function unavailable(db: CpDatabase, view: ContractView) {
  return (e: unknown): never => {
    if (e instanceof CpDatabaseError && e.reason === 'contract') {
      throw new DiagError('DIAG_CP_CONTRACT_MISSING', `the cp database (${db.target}) has no view ${view} as the console reads it: ${e.message}`, { cause: e });
    }
    if (e instanceof CpDatabaseError) throw new DiagError('DIAG_TIMEOUT', `the cp database did not answer: ${e.message}`, { cause: e });
    throw e;
  };
}

export class CpInventory implements InventorySource {
  constructor(private readonly db: CpDatabase) {}

  async wok(id: string, signal?: AbortSignal): Promise<InventoryWok | null> {
    const rows = await this.db.query<WokRow>(`SELECT ${WOK_COLUMNS} FROM woks WHERE id = $1`, [id], signal).catch(unavailable(this.db, 'woks'));
    return rows[0] ? wokOf(rows[0]) : null;
  }

  async woks(signal?: AbortSignal): Promise<InventoryWok[]> {
    const rows = await this.db.query<WokRow>(`SELECT ${WOK_COLUMNS} FROM woks ORDER BY id`, [], signal).catch(unavailable(this.db, 'woks'));
    return rows.map(wokOf);
  }

  async keysByPrefix(prefix: string, signal?: AbortSignal): Promise<InventoryKey[]> {
    const rows = await this.db
      .query<KeyRow>('SELECT prefix, sha256, org_slug, user_id, kind, revoked_at FROM api_keys WHERE prefix = $1', [prefix], signal)
      .catch(unavailable(this.db, 'api_keys'));
    return rows.map(keyOf).filter((k): k is InventoryKey => k !== null);
  }

  /** The status row of one wok (null when the reconciler has never written one). */
  async wokStatus(id: string, signal?: AbortSignal): Promise<WokStatusRow | null> {
    const rows = await this.db
      .query<{ wok_id: string; state: string | null; refreshed_at: Date | string | null }>('SELECT wok_id, state, refreshed_at FROM wok_status WHERE wok_id = $1', [id], signal)
      .catch(unavailable(this.db, 'wok_status'));
    const r = rows[0];
    return r ? { wokId: r.wok_id, state: r.state, refreshedAt: ms(r.refreshed_at) } : null;
  }
}
