/**
 * The probable cause and the Related panel in a real browser, on the demo's
 * db restart ticket: the sentence above the events, its evidence links
 * landing on rows of the page, the wok's audit entries in the context, and
 * the related requests linked to their tickets and to the search; a request
 * with nothing to explain says so.
 */
import { describe, expect, it } from 'vitest';
import { browserSession } from './fixtures/browser-session.js';

const s = browserSession();

describe('probable cause and related requests on the ticket page', () => {
  it('states the db restart above the events, with evidence links that land on rows of the page', async () => {
    await s.signIn();
    const [restart] = s.console.demo.featured;
    await s.page.goto(`${s.console.url}/tickets/${restart.cid}`);
    const cause = s.page.locator('#cause .cause-text');
    expect(await cause.getAttribute('data-rule')).toBe('db-restart');
    expect((await cause.textContent())!.trim()).toMatch(/^The wok's database was restarting \d+ s before this request failed \(wok-ledger-db, after maria@acme\.io asked for wok\.restart\)/);
    // Above the table of the request's own lines.
    const causeBox = (await s.page.locator('#cause').boundingBox())!;
    const eventsBox = (await s.page.locator('table.events').first().boundingBox())!;
    expect(causeBox.y).toBeLessThan(eventsBox.y);
    const links = s.page.locator('#cause .cause-evidence a');
    expect(await links.count()).toBeGreaterThanOrEqual(2);
    for (const href of await links.evaluateAll((as) => as.map((a) => a.getAttribute('href')!))) {
      expect(await s.page.locator(`[id="${href.slice(1)}"]`).count()).toBe(1);
    }
    // The first is the audited restart, a row of the context's audit entries; following it scrolls there.
    await links.first().click();
    const target = s.page.locator(':target');
    expect(await target.textContent()).toContain('wok.restart');
    expect(await s.page.locator('table.audits tr', { hasText: 'wok.restart' }).count()).toBe(1);
  });

  it('lists the other exec_sql failures on ledger linked to their tickets, and the orgs linked to the search', async () => {
    await s.signIn();
    const [restart] = s.console.demo.featured;
    await s.page.goto(`${s.console.url}/tickets/${restart.cid}`);
    const wokLinks = await s.page.locator('#related table.related-wok a').evaluateAll((as) => as.map((a) => a.getAttribute('href')!));
    expect(wokLinks.length).toBeGreaterThanOrEqual(1);
    for (const h of wokLinks) expect(h).toMatch(/^\/tickets\/[0-9a-f]{16}$/);
    expect(wokLinks).not.toContain(`/tickets/${restart.cid}`);
    const orgRows = s.page.locator('#related table.related-orgs tbody tr');
    expect(await orgRows.count()).toBe(1);
    expect(await orgRows.first().locator('td').first().textContent()).toBe('acme');
    expect(await orgRows.first().locator('a').getAttribute('href')).toBe('/search?code=CP_EXEC_SQL_FAILED&org=acme');
    // A related ticket opens.
    await s.page.goto(`${s.console.url}${wokLinks[0]}`);
    expect(await s.page.locator('#cid').textContent()).toBe(wokLinks[0]!.slice('/tickets/'.length));
  });

  it('says when nothing in the logs explains a failure', async () => {
    await s.signIn();
    await s.page.goto(`${s.console.url}/tickets/${s.console.hostile.cid}`);
    expect((await s.page.locator('#cause').textContent())!.replace(/\s+/g, ' ').trim()).toBe('Probable cause No probable cause found in the logs.');
  });
});
