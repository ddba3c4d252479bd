/** The imported inventory (orgs, woks, API keys) in SQLite: a snapshot replaced whole on each import. */
import type { Inventory, InventoryKey, InventoryWok } from '../../model/inventory.js';
import { keyFromRow, wokFromRow, type KeyRow, type WokRow } from '../row-mappers.js';
import type { Db } from './open-database.js';
import type { Statements } from './statements.js';
import { keyOwnerOrder, keyOwnerSql } from '../key-owner.js';
import { rebuildCodeMinutes } from './incident-counts.js';

export class InventoryTables {
  constructor(
    private readonly db: Db,
    private readonly st: Statements,
  ) {}

  putInventory(inv: Inventory): { orgs: number; woks: number; keys: number } {
    const db = this.db;
    db.transaction(() => {
      db.exec('DELETE FROM inv_orgs; DELETE FROM inv_woks; DELETE FROM inv_keys;');
      const org = this.st.stmt('INSERT OR IGNORE INTO inv_orgs (slug) VALUES (?)');
      for (const o of inv.orgs) org.run(o.slug);
      const wok = this.st.stmt('INSERT OR REPLACE INTO inv_woks (id, org, status, functions_port, created_at) VALUES (?, ?, ?, ?, ?)');
      for (const w of inv.woks) wok.run(w.id, w.org, w.status, w.functionsPort ?? null, w.createdAt ?? null);
      const key = this.st.stmt('INSERT OR REPLACE INTO inv_keys (prefix, sha256, org, user, kind, revoked_at) VALUES (?, ?, ?, ?, ?, ?)');
      for (const k of inv.keys) key.run(k.prefix, k.sha256, k.org, k.user, k.kind, k.revokedAt ?? null);
      // Requests logged before the inventory was known get their caller now.
      // The owner is chosen as at ingest (key-owner.ts).
      const named = this.st.stmt(
        `UPDATE failures SET org = COALESCE(org, ${keyOwnerSql('org', 'failures.key_prefix')}), user = COALESCE(user, ${keyOwnerSql('user', 'failures.key_prefix')})
         WHERE (org IS NULL OR user IS NULL) AND key_prefix IS NOT NULL AND key_prefix IN (SELECT prefix FROM inv_keys)`,
      ).run();
      if (named.changes > 0) rebuildCodeMinutes(db);
      // The same for the per-minute traffic of requests whose line named no org (kept with their key prefix).
      db.exec(`INSERT INTO traffic (minute, wok, org, key_prefix, total, failed)
          SELECT minute, wok, ${keyOwnerSql('org', 't.key_prefix')}, key_prefix, total, failed FROM traffic t WHERE t.org = '' AND t.key_prefix IN (SELECT prefix FROM inv_keys)
          ON CONFLICT DO UPDATE SET total = total + excluded.total, failed = failed + excluded.failed;
        DELETE FROM traffic WHERE org = '' AND key_prefix IN (SELECT prefix FROM inv_keys);`);
    }).immediate();
    return { orgs: inv.orgs.length, woks: inv.woks.length, keys: inv.keys.length };
  }

  keysByPrefix(prefix: string): InventoryKey[] {
    return (this.st.stmt(`SELECT * FROM inv_keys WHERE prefix = ? ORDER BY ${keyOwnerOrder()}`).all(prefix) as KeyRow[]).map(keyFromRow);
  }

  wok(id: string): InventoryWok | null {
    const r = this.st.stmt('SELECT * FROM inv_woks WHERE id = ?').get(id) as WokRow | undefined;
    return r ? wokFromRow(r) : null;
  }

  inventory(): Inventory {
    return {
      orgs: this.st.stmt('SELECT slug FROM inv_orgs ORDER BY slug').all() as { slug: string }[],
      woks: (this.st.stmt('SELECT * FROM inv_woks ORDER BY id').all() as WokRow[]).map(wokFromRow),
      keys: (this.st.stmt('SELECT * FROM inv_keys ORDER BY prefix, sha256').all() as KeyRow[]).map(keyFromRow),
    };
  }
}
