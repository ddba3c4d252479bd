/**
 * What a SQLite write gathers per batch before it writes: failed requests per
 * minute, code, org and wok (code_minutes, one upsert per key), the key owners
 * the inventory names (asked once per batch, never carried into the next).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { cid, cpStream, MINUTE, platformKey, StreamFixture, T0 } from '../fixtures/events.js';

type Row = { minute: number; code: string; org: string; wok: string; n: number };

function codeMinutes(store: SqliteStore): Row[] {
  return store.db.prepare('SELECT minute, code, org, wok, n FROM code_minutes ORDER BY minute, code, org, wok').all() as Row[];
}

/** code_minutes as counted again from the failure rows (what incident-counts.ts rebuilds it from). */
function recounted(store: SqliteStore): Row[] {
  return store.db
    .prepare(
      `SELECT time / 60000 AS minute, code, COALESCE(org, '') AS org, COALESCE(wok, '') AS wok, COUNT(*) AS n FROM failures
       WHERE code IS NOT NULL GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`,
    )
    .all() as Row[];
}

describe('SQLite writes: per-batch tallies', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const open = () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'diag-tallies-'));
    dirs.push(dir);
    return new SqliteStore(path.join(dir, 'diag.sqlite'));
  };

  it('counts every failed request with a code in code_minutes, several to a key within a batch and across batches', async () => {
    const store = open();
    try {
      const s = new StreamFixture(cpStream('tallies'));
      const write = async (from: number, n: number) => {
        for (let i = from; i < from + n; i++) {
          // Three orgs, two codes, two woks, a few minutes: many failures share a key, some stand alone; the second batch meets the first one's keys again.
          s.request({
            cid: cid(`t-${i}`),
            time: T0 + Math.floor((i % 60) / 7) * MINUTE + (i % 7) * 1000 + (i >= 60 ? 500 : 0),
            url: `/v1/woks/${i % 2 ? 'w1a2b3' : 'w9f8e7'}/sql`,
            method: 'POST',
            responseTime: 3,
            org: ['acme', 'globex', 'initech'][i % 3]!,
            status: i % 4 === 0 ? 200 : 502,
            ...(i % 4 === 0 ? {} : { code: i % 5 === 0 ? 'CP_INTERNAL' : 'CP_EXEC_SQL_FAILED' }),
          });
        }
        await store.writeBatch({ streams: [s.batch()] });
      };
      await write(0, 60);
      const first = codeMinutes(store);
      expect(first).toEqual(recounted(store));
      expect(first.some((r) => r.n > 1)).toBe(true);
      await write(60, 60);
      const both = codeMinutes(store);
      expect(both).toEqual(recounted(store));
      // The second batch added to keys the first one had made.
      expect(both.some((r) => r.n > (first.find((f) => f.minute === r.minute && f.code === r.code && f.org === r.org && f.wok === r.wok)?.n ?? r.n))).toBe(true);
      expect(both.reduce((a, r) => a + r.n, 0)).toBe(90);
    } finally {
      await store.close();
    }
  });

  it('names the owner of a key prefix from the inventory as it stands at each batch, not as an earlier batch found it', async () => {
    const store = open();
    try {
      const key = platformKey('tallies-owner');
      const s = new StreamFixture(cpStream('owner'));
      const failing = (from: number) => {
        for (let i = from; i < from + 3; i++) s.request({ cid: cid(`o-${i}`), time: T0 + i * 1000, url: '/v1/woks/w1a2b3/sql', status: 500, code: 'CP_INTERNAL', key: key.key });
      };
      failing(0);
      await store.writeBatch({ streams: [s.batch()] });
      const owners = () => store.db.prepare('SELECT cid, org, user FROM failures ORDER BY time').all() as { cid: string; org: string | null; user: string | null }[];
      expect(owners().map((r) => r.org)).toEqual([null, null, null]);

      await store.putInventory({ orgs: [{ slug: 'acme' }], woks: [], keys: [{ prefix: key.prefix, sha256: key.sha256, org: 'acme', user: 'dana', kind: 'skl', revokedAt: null }] });
      failing(3);
      await store.writeBatch({ streams: [s.batch()] });
      const later = owners().filter((r) => ['o-3', 'o-4', 'o-5'].map((x) => cid(x)).includes(r.cid));
      expect(later).toHaveLength(3);
      for (const r of later) expect([r.org, r.user]).toEqual(['acme', 'dana']);
    } finally {
      await store.close();
    }
  });
});
