/**
 * In a real browser over the demo: from a ticket's line to the lines around
 * it in its stream and back to a ticket, the reply preview and its copy
 * button, and the audit of lookups recording what the operator just looked at.
 */
import { describe, expect, it } from 'vitest';
import { browserSession } from './fixtures/browser-session.js';

const s = browserSession();

describe('around, reply and audit', () => {
  it('a ticket line links to the lines around it, which mark it and link back to tickets', async () => {
    await s.signIn();
    const cid = s.console.hostile.cid;
    await s.page.goto(`${s.console.url}/tickets/${cid}`);
    const first = s.page.locator('table.events tbody tr').first();
    const id = (await first.getAttribute('id'))!.slice(3);
    await Promise.all([s.page.waitForURL(/\/around$/), first.locator('a.around').click()]);
    expect(decodeURIComponent(new URL(s.page.url()).pathname)).toBe(`/events/${id}/around`);
    const marked = s.page.locator('tr.at-moment');
    expect(await marked.count()).toBe(1);
    expect(await marked.getAttribute('id')).toBe(`ev-${id}`);
    expect(await s.page.locator('table.events tbody tr').count()).toBeGreaterThan(1);
    await Promise.all([s.page.waitForURL(new RegExp(`/tickets/${cid}$`)), marked.locator('a.ticket-link').click()]);
  });

  it('the ticket shows the reply beside what it leaves out, and the button copies it', async () => {
    await s.page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: s.console.url });
    await s.signIn();
    const cid = s.console.hostile.cid;
    await s.page.goto(`${s.console.url}/tickets/${cid}`);
    const text = (await s.page.locator('pre.reply-md').textContent())!;
    expect(text).toContain(cid);
    expect(await s.page.locator('.reply-left li').count()).toBeGreaterThan(0);
    const btn = s.page.locator('button.copy-reply');
    expect(await btn.getAttribute('data-copy')).toBe(text);
    await btn.click();
    await expect.poll(() => btn.textContent()).toBe('copied');
    expect(await s.page.evaluate('navigator.clipboard.readText()')).toBe(text);
  });

  it('/audit lists the lookups just made, newest first, and filters by operator', async () => {
    await s.signIn();
    const cid = s.console.hostile.cid;
    await s.page.goto(`${s.console.url}/tickets/${cid}`);
    await s.page.goto(`${s.console.url}/audit`);
    const top = s.page.locator('table.lookups tbody tr').first();
    expect(await top.textContent()).toContain(s.console.operator.email);
    expect(await top.locator('td').nth(3).textContent()).toBe('ticket');
    await s.page.fill('.audit-filter input[name=operator]', s.console.operator.email);
    await Promise.all([s.page.waitForURL(/operator=/), s.page.click('.audit-filter button[type=submit]')]);
    const whos = await s.page.locator('table.lookups tbody tr td:nth-child(2) a').allTextContents();
    expect(whos.length).toBeGreaterThan(0);
    expect(new Set(whos)).toEqual(new Set([s.console.operator.email]));
    await s.page.click('header nav a[href="/audit"]');
    await s.page.waitForURL(/\/audit$/);
  });
});
