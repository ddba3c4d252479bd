/** The imported inventory on PostgreSQL: a snapshot replaced whole, and the callers of stored requests named from it. */
import type { Inventory, InventoryKey, InventoryWok } from '../../model/inventory.js';
import { keyFromRow, wokFromRow, type KeyRow, type WokRow } from '../row-mappers.js';

/** PostgreSQL names the user column user_name (user is reserved there). */
type PgKeyRow = Omit<KeyRow, 'user'> & { user_name: string };

function keyOf(r: PgKeyRow): InventoryKey {
  return keyFromRow({ ...r, user: r.user_name });
}
import type { Client } from './pg-connect.js';
import { keyOwnerOrder } from '../key-owner.js';
import type { Query } from './pg-event-reads.js';

/** The last entry per key wins, as INSERT OR REPLACE does in SQLite. */
function lastBy<T>(items: T[], key: (t: T) => string): T[] {
  return [...new Map(items.map((t) => [key(t), t])).values()];
}

/** The owner of each key prefix of inv_keys that `where` keeps, by the rule of key-owner.ts: prefix, org, user_name. */
function ownersSql(where: string): string {
  return `SELECT DISTINCT ON (prefix) prefix, org, user_name FROM inv_keys WHERE ${where} ORDER BY prefix, ${keyOwnerOrder()}`;
}

/** The owners of these key prefixes (those the inventory knows), in the caller's transaction: one query. */
export async function pgKeyOwners(c: Client, prefixes: readonly string[]): Promise<Map<string, { org: string; user: string }>> {
  if (!prefixes.length) return new Map();
  const r = await c.query<{ prefix: string; org: string; user_name: string }>(ownersSql('prefix = ANY($1::text[])'), [prefixes]);
  return new Map(r.rows.map((k) => [k.prefix, { org: k.org, user: k.user_name }]));
}

export class PgInventory {
  constructor(private readonly q: Query) {}

  /** Runs inside the caller's transaction. */
  async put(c: Client, inv: Inventory): Promise<{ orgs: number; woks: number; keys: number }> {
    await c.query('DELETE FROM inv_orgs');
    await c.query('DELETE FROM inv_woks');
    await c.query('DELETE FROM inv_keys');
    const orgs = [...new Set(inv.orgs.map((o) => o.slug))];
    await c.query('INSERT INTO inv_orgs (slug) SELECT unnest($1::text[])', [orgs]);
    const woks = lastBy(inv.woks, (w) => w.id);
    await c.query(
      'INSERT INTO inv_woks (id, org, status, functions_port, created_at) SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::bigint[])',
      [woks.map((w) => w.id), woks.map((w) => w.org), woks.map((w) => w.status), woks.map((w) => w.functionsPort ?? null), woks.map((w) => w.createdAt ?? null)],
    );
    const keys = lastBy(inv.keys, (k) => `${k.prefix}\u0000${k.sha256}`);
    await c.query(
      'INSERT INTO inv_keys (prefix, sha256, org, user_name, kind, revoked_at) SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[])',
      [keys.map((k) => k.prefix), keys.map((k) => k.sha256), keys.map((k) => k.org), keys.map((k) => k.user), keys.map((k) => k.kind), keys.map((k) => k.revokedAt ?? null)],
    );
    // Requests logged before the inventory was known get their caller now (the owner chosen as at ingest).
    await c.query(
      `UPDATE requests r SET org = COALESCE(r.org, k.org), user_name = COALESCE(r.user_name, k.user_name)
       FROM (${ownersSql('true')}) k
       WHERE (r.org IS NULL OR r.user_name IS NULL) AND r.key_prefix IS NOT NULL AND k.prefix = r.key_prefix`,
    );
    return { orgs: inv.orgs.length, woks: inv.woks.length, keys: inv.keys.length };
  }

  async keysByPrefix(prefix: string): Promise<InventoryKey[]> {
    return (await this.q<PgKeyRow>(`SELECT * FROM inv_keys WHERE prefix = $1 ORDER BY ${keyOwnerOrder()}`, [prefix])).map(keyOf);
  }

  async wok(id: string): Promise<InventoryWok | null> {
    const [r] = await this.q<WokRow>('SELECT * FROM inv_woks WHERE id = $1', [id]);
    return r ? wokFromRow(r) : null;
  }

  async inventory(): Promise<Inventory> {
    return {
      orgs: await this.q<{ slug: string }>('SELECT slug FROM inv_orgs ORDER BY slug'),
      woks: (await this.q<WokRow>('SELECT * FROM inv_woks ORDER BY id')).map(wokFromRow),
      keys: (await this.q<PgKeyRow>('SELECT * FROM inv_keys ORDER BY prefix, sha256')).map(keyOf),
    };
  }
}
