/**
 * The probable cause and the Related panel on the demo's stories, generated
 * and ingested for real: the db restart ticket, the LLM outage ticket and the
 * crash-looping inbox runtime ticket each name their cause with evidence that
 * is on the ticket; a succeeded request names none.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemo, type DemoSummary } from '../../../scripts/demo/generate-demo.js';
import { catalog } from '../../../src/catalog/catalog.js';
import { ingestPaths } from '../../../src/ingest/ingest-paths.js';
import { readInventoryFile } from '../../../src/ingest/inventory-file.js';
import { buildTicket } from '../../../src/queries/ticket.js';
import { tempSqliteStore, type TempSqliteStore } from '../../fixtures/sqlite-store.js';
import { tempDir, type TempDir } from '../../fixtures/temp-dir.js';

const NOW = Date.parse('2026-11-24T21:00:00.000Z');

let tmp: TempDir;
let demo: DemoSummary;
let s: TempSqliteStore;

beforeAll(async () => {
  tmp = tempDir('tellwang-cause-');
  demo = await generateDemo({ dir: tmp.file('demo'), now: NOW });
  s = tempSqliteStore();
  await ingestPaths(s.store, demo.logPaths, { final: true });
  await s.store.putInventory(readInventoryFile(demo.inventoryPath));
});

afterAll(async () => {
  await s?.close();
  tmp?.remove();
});

async function ticket(i: 0 | 1 | 2) {
  return (await buildTicket(s.store, catalog, demo.featured[i].cid))!;
}

describe('probable cause on the demo stories', () => {
  it('names the db restart (and the restart asked for) behind the exec_sql failure on ledger', async () => {
    const t = await ticket(0);
    expect(t.cause!.rule).toBe('db-restart');
    expect(t.cause!.text).toMatch(/^The wok's database was restarting \d+ s before this request failed \(wok-ledger-db, after maria@acme\.io asked for wok\.restart\)/);
    const restart = t.audits!.find((a) => a.action === 'wok.restart')!;
    expect(t.cause!.evidence[0]).toBe(restart.eventId);
    // Every lifecycle line cited is a db line of ledger shown in the ticket's context.
    const ctx = new Map(t.context.map((e) => [e.id, e]));
    for (const id of t.cause!.evidence.slice(1)) {
      const e = ctx.get(id);
      expect(e?.source === 'container' && e.container.role === 'db' && e.lifecycle !== null).toBe(true);
    }
    expect(t.cause!.customerText).not.toMatch(/wok-ledger-db|maria/);
  });

  it('names the crash loop of the inbox runtime and the env var removed that started it', async () => {
    const t = await ticket(2);
    expect(t.cause!.rule).toBe('runtime-crash-loop');
    expect(t.cause!.text).toMatch(/crash-looping since \d\d:\d\d:\d\d, after li\.wei@northwind\.dev removed an environment variable of the wok \(wok\.env\.delete\) \(\d+ boots\)/);
    const del = t.audits!.find((a) => a.action === 'wok.env.delete')!;
    expect(t.cause!.evidence[0]).toBe(del.eventId);
    expect(t.cause!.evidence.length).toBeLessThanOrEqual(5);
  });

  it('calls the LLM failure an incident: the code hit three orgs in the 15 minutes before', async () => {
    const t = await ticket(1);
    expect(t.cause!.rule).toBe('many-orgs');
    expect(t.cause!.text).toMatch(/^CP_LLM_UPSTREAM_FAILED hit 3 orgs \(\d+ requests\)/);
    expect(t.related!.byOrg.map((o) => o.org).sort()).toEqual(['acme', 'globex', 'northwind']);
    for (const id of t.cause!.evidence) expect(t.events.some((e) => e.id === id)).toBe(true);
  });

  it('lists the other exec_sql failures on ledger around the restart, and only acme platform-wide', async () => {
    const t = await ticket(0);
    expect(t.related!.sameWok.length).toBeGreaterThanOrEqual(1);
    for (const r of t.related!.sameWok) {
      expect(r).toMatchObject({ wok: 'ledger', code: 'CP_EXEC_SQL_FAILED' });
      expect(r.cid).not.toBe(t.cid);
      expect(Math.abs(r.time - t.request!.time)).toBeLessThanOrEqual(5 * 60_000);
    }
    expect(t.related!.byOrg.map((o) => o.org)).toEqual(['acme']);
  });

  it('puts a failing llm_upstream at the time ahead of the incident; not when it began failing only after', async () => {
    const before = await ticket(1);
    const done = before.events.filter((e) => e.source === 'cp' && e.http).pop()!;
    const rec = (dt: number, status: 'pass' | 'fail') => ({ check: 'llm_upstream', status, time: done.time + dt, output: status === 'fail' ? 'HTTP 503 from the provider' : null });
    // Near miss: passing up to the failure, failing from 30 s after it.
    await s.store.recordChecks([rec(-5 * 60_000, 'pass'), rec(-60_000, 'pass'), rec(30_000, 'fail'), rec(60_000, 'fail')]);
    expect((await ticket(1)).cause!.rule).toBe('many-orgs');
    // Failing since a minute before the failure: the subsystem is the cause.
    await s.store.recordChecks([rec(-30_000, 'fail'), rec(0, 'fail')]);
    const t = await ticket(1);
    expect(t.cause!.rule).toBe('subsystem-failing');
    expect(t.cause!.text).toMatch(/^\/diag llm_upstream was failing from \d\d:\d\d:\d\d \(still failing at last check\) and this request failed at \d\d:\d\d:\d\d: HTTP 503 from the provider\.$/);
    expect(t.cause!.customerText).toBe('The language-model provider was failing when this request ran; it is on our side, not in your request.');
  });

  it('finds no cause for a request that succeeded, and says nothing of one', async () => {
    const ok = (await s.store.search({ from: NOW - 3_600_000, to: NOW, limit: 50 })).items.find((r) => r.status < 400 && r.code === null)!;
    const t = (await buildTicket(s.store, catalog, ok.cid))!;
    expect(t.error).toBeNull();
    expect(t.cause).toBeNull();
    expect(t.related).toBeNull();
  });
});
