/**
 * /incidents, /catalog and the affected orgs on /diag in a real browser over
 * the demo (its LLM outage of the last ten minutes, its crash-looping
 * functions runtime and the uncatalogued CP_FUNCTION_RUNTIME_UNAVAILABLE).
 * After every test: no console error, exception or CSP violation
 * (fixtures/browser-session.ts).
 */
import { describe, expect, it } from 'vitest';
import { catalog } from '../../src/catalog/catalog.js';
import { startHealthLoop } from '../../src/diag/health-loop.js';
import { silentLogger } from '../../src/logging/logger.js';
import { browserSession } from './fixtures/browser-session.js';

const s = browserSession();

describe('/incidents', () => {
  it('lists the codes of the last 24 h with a 24-bar sparkline each, incidents first, in the order /v1/incidents gives', async () => {
    await s.signIn();
    await s.page.goto(`${s.console.url}/incidents`);
    expect(await s.page.title()).toBe('Incidents · 24h');
    const rows = s.page.locator('table.incidents > tbody > tr');
    const n = await rows.count();
    expect(n).toBeGreaterThan(3);
    const codes: string[] = [];
    const incident: boolean[] = [];
    for (const row of await rows.all()) {
      codes.push((await row.getAttribute('data-code'))!);
      incident.push(((await row.getAttribute('class')) ?? '').includes('inc-incident'));
      expect(await row.locator('svg.spark rect').count()).toBe(24);
    }
    // Incidents, then the rest: never an incident after a code that is not one.
    expect(incident.indexOf(false) === -1 || incident.lastIndexOf(true) < incident.indexOf(false)).toBe(true);
    expect(incident[0]).toBe(true);
    const api = (await (await s.page.request.get(`${s.console.url}/v1/incidents?window=24h`)).json()) as { codes: { code: string; incident: boolean }[] };
    expect(codes).toEqual(api.codes.map((c) => c.code));
    expect(await s.page.locator('table.incidents a.inc-code').first().getAttribute('href')).toMatch(new RegExp(`^/search\\?code=${codes[0]}&from=`));
  });

  it('switches window, and names the subsystems failing in it', async () => {
    // One round of checks stored, as the background loop does: the demo's functions runtime and LLM upstream fail.
    const loop = startHealthLoop({ runner: s.console.diag.runner, store: s.console.store.store, logger: silentLogger(), intervalMs: 0, retentionMs: 86_400_000 });
    await loop.tick();
    await loop.stop();
    await s.signIn();
    await s.page.goto(`${s.console.url}/incidents`);
    const failing = await s.page.locator('.inc-checks li code').allTextContents();
    expect(failing).toEqual(expect.arrayContaining(['functions', 'llm_upstream']));
    await s.page.click('.inc-windows a:text-is("1h")');
    await s.page.waitForURL(/window=1h/);
    expect(await s.page.locator('.inc-windows a.current').textContent()).toBe('1h');
    expect(await s.page.locator('table.incidents > tbody > tr[data-code="CP_LLM_UPSTREAM_FAILED"]').count()).toBe(1);
  });

  it('sends a signed-out visitor to sign in', async () => {
    await s.page.goto(`${s.console.url}/incidents`);
    expect(new URL(s.page.url()).pathname).toBe('/login');
  });
});

describe('/catalog', () => {
  it('shows every catalogued code by group, and apart the uncatalogued code the demo emits with its sample ticket', async () => {
    await s.signIn();
    await s.page.goto(`${s.console.url}/catalog`);
    const shown = await s.page.locator('table.catalog tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-code')));
    for (const e of catalog.entries()) expect(shown).toContain(e.code);
    const missing = s.page.locator('.cat-missing tr[data-code="CP_FUNCTION_RUNTIME_UNAVAILABLE"]');
    expect(await missing.count()).toBe(1);
    await missing.locator('a[href^="/tickets/"]').click();
    await s.page.waitForURL(/\/tickets\/[0-9a-f]{16}$/);
    expect(await s.page.textContent('main')).toContain('CP_FUNCTION_RUNTIME_UNAVAILABLE');
  });

  it('is reached from the header', async () => {
    await s.signIn();
    await s.page.click('header nav a:text-is("Catalog")');
    await s.page.waitForURL(/\/catalog$/);
    await s.page.click('header nav a:text-is("Incidents")');
    await s.page.waitForURL(/\/incidents$/);
  });
});

describe('/diag: who is affected', () => {
  it('lists under the failing LLM upstream the orgs hit, each linking to its search', async () => {
    await s.signIn();
    await s.page.goto(`${s.console.url}/diag`);
    const under = s.page.locator('tr.affected-row[data-check="llm_upstream"]');
    expect(await under.locator('b').textContent()).toBe('Who is affected');
    const orgs = under.locator('table.affected tbody tr');
    expect(await orgs.count()).toBeGreaterThanOrEqual(1);
    const href = await orgs.first().locator('a').getAttribute('href');
    expect(href).toMatch(/^\/search\?code=CP_LLM_UPSTREAM_FAILED&org=[a-z0-9-]+&from=/);
  });
});
