/**
 * A cp database without the contract's views (sql/cp-contract.sql never
 * applied), or with a view that lacks a column, is a misconfiguration, not a
 * timeout: the wok view answers DIAG_CP_CONTRACT_MISSING naming the view and
 * pointing at sql/cp-contract.sql, and the cp_db check fails saying so.
 * Against the machine's real PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CpInventory } from '../../src/cpdb/cp-inventory.js';
import type { CpDatabase } from '../../src/cpdb/cp-database.js';
import { cpDbCheck } from '../../src/diag/checks/cp-db.js';
import { DiagError } from '../../src/errors/diag-error.js';
import { checkDeps, cpDatabase } from '../diag/fixtures/diag-deps.js';
import { tempStore } from '../diag/fixtures/platform-logs.js';
import { reading, runCheck } from '../diag/fixtures/run-check.js';
import { diagApp, type DiagApp } from '../http/diag/fixtures/diag-app.js';
import { createCpSchema, createScratchDatabase, TEST_DB_URL, type CpSchema, type ScratchDatabase } from './fixtures/cp-schema.js';

interface Envelope {
  error: { code: string; message: string; hint: string; correlation_id: string };
}

describe('a cp database with none of the contract views', () => {
  let scratch: ScratchDatabase;
  let db: CpDatabase;
  let a: DiagApp;

  beforeAll(async () => {
    scratch = await createScratchDatabase();
    db = cpDatabase(scratch.url, 'tellwang_diag');
    a = await diagApp({ cp: db });
  });
  afterAll(async () => {
    await a?.close();
    await db?.close();
    await scratch?.drop();
  });

  it('the wok view answers DIAG_CP_CONTRACT_MISSING naming the view, with a hint at sql/cp-contract.sql', async () => {
    const r = await a.get('/v1/diag/wok/shopfront', a.operator);
    const e = (r.json() as Envelope).error;
    expect([r.status, e.code]).toEqual([500, 'DIAG_CP_CONTRACT_MISSING']);
    expect(e.message).toBe(`the cp database (postgres://127.0.0.1:5432/${scratch.name}) has no view woks as the console reads it: relation "woks" does not exist`);
    expect(e.hint).toMatch(/sql\/cp-contract\.sql/);
    expect(e.hint).toMatch(/DIAG_CP_SCHEMA/);
    expect(e.correlation_id).toMatch(/^[0-9a-f]{16}$/);
  });

  it('so does the page, for a browser', async () => {
    const r = await a.get('/diag/wok/shopfront', a.operator, 'text/html');
    expect(r.status).toBe(500);
    expect(r.text).toContain('DIAG_CP_CONTRACT_MISSING');
    expect(r.text).toContain('sql/cp-contract.sql');
  });

  it('the cp_db check fails on the contract, naming every missing view, not as a timeout', async () => {
    const s = tempStore();
    try {
      const o = await runCheck(cpDbCheck, checkDeps(s.store, { now: Date.now(), cp: db }));
      expect(o.status).toBe('fail');
      expect(reading(o, 'responseTime').status).toBe('pass');
      const c = reading(o, 'contract');
      expect(c).toMatchObject({ status: 'fail', observedValue: 0, observedUnit: 'of 4 views' });
      expect(c.output).toBe(
        ['orgs', 'woks', 'wok_status', 'api_keys'].map((v) => `${v}: relation "${v}" does not exist`).join('; ') +
          ' (the contract is not applied as it is now: apply sql/cp-contract.sql to the cp database, and set DIAG_CP_SCHEMA to the schema holding its views)',
      );
      expect(JSON.stringify(o.measurements)).not.toMatch(/timed out|did not answer/);
    } finally {
      await s.close();
    }
  });
});

describe('a contract view without one of its columns', () => {
  let cp: CpSchema;
  let db: CpDatabase;

  beforeAll(async () => {
    cp = await createCpSchema();
    await cp.addOrg('acme');
    await cp.addWok({ id: 'shopfront', org: 'acme' });
    await cp.sql(`DROP VIEW "${cp.schema}".woks`);
    await cp.sql(`CREATE VIEW "${cp.schema}".woks AS SELECT id, org_slug, status, created_at FROM "${cp.source}".woks`);
    db = cpDatabase(TEST_DB_URL, cp.schema);
  });
  afterAll(async () => {
    await db?.close();
    await cp?.drop();
  });

  it('is DIAG_CP_CONTRACT_MISSING naming the view and the column', async () => {
    const err = await new CpInventory(db).wok('shopfront').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DiagError);
    const e = err as DiagError;
    expect([e.http, e.code]).toEqual([500, 'DIAG_CP_CONTRACT_MISSING']);
    expect(e.message).toBe('the cp database (postgres://127.0.0.1:5432/test) has no view woks as the console reads it: column "functions_port" does not exist');
    expect(e.hint).toMatch(/sql\/cp-contract\.sql/);
  });
});
