/**
 * Log text is hostile: a request whose lines carry <script> and <img onerror>
 * payloads through all three sources (fixtures/demo-console.ts) is shown in a
 * real browser as text — on its ticket, where cp, container and audit lines
 * merge in time order, in "details", and on its wok's page — and so is
 * hostile pasted text. Nothing runs, nothing trips the CSP. The last test
 * shows the watch would see it if something did.
 */
import { describe, expect, it } from 'vitest';
import { CP_ERRORS } from '../../scripts/demo/cp-errors.js';
import { injectedMarkup } from './fixtures/chromium.js';
import { XSS_IMG, XSS_SCRIPT } from './fixtures/demo-console.js';
import { browserSession } from './fixtures/browser-session.js';
import { eventRows, eventTable, paste } from './fixtures/pages.js';

const s = browserSession();

describe('hostile text', () => {
  it('pasted into the box, comes back as text in the box and the finding', async () => {
    await s.signIn();
    const text = `${XSS_SCRIPT}${XSS_IMG} 0123456789abcde`;
    await paste(s.page, text);
    expect(await s.page.inputValue('section.paste textarea')).toBe(text);
    expect(await s.page.textContent('.finding')).toContain('15 hex characters');
  });

  it('in the logs: the ticket merges cp, container and audit lines in time order and shows the payloads as text', async () => {
    await s.signIn();
    const { page } = s;
    const h = s.console.hostile;
    await page.goto(`${s.console.url}/tickets/${h.cid}`);
    const events = await eventRows(eventTable(page, 'Everything logged'));
    expect(events.map((e) => e.time)).toEqual(events.map((e) => e.time).sort());
    const order = events.map((e) => e.source);
    expect(new Set(order)).toEqual(new Set(['cp', 'container', 'audit']));
    // Scripted: the cp's first lines, PostgreSQL's ERROR and STATEMENT (t+5), the audit entry (t+8), pino-http's line (t+12).
    expect(order.indexOf('container')).toBeGreaterThan(order.indexOf('cp'));
    expect(order.indexOf('audit')).toBeGreaterThan(order.lastIndexOf('container'));
    expect(order.at(-1)).toBe('cp');

    const messages = events.map((e) => e.message);
    expect(messages).toContain(h.appLine);
    expect(messages).toContain(h.pgError);
    expect(await page.textContent('.error-box .emsg')).toContain(h.errorMessage);
    expect(await page.textContent('.remedy.uncatalogued p')).toBe(CP_ERRORS.CP_SQL_ERROR!.hint);
    // Opening every "details" shows the payloads in the stack and the stored records, as text too.
    for (const summary of await page.locator('details.more > summary').all()) await summary.click();
    expect(await page.locator('pre.stack').first().textContent()).toContain(h.errorMessage);
    // The stored records are JSON: the payload's quotes are escaped there.
    expect((await page.locator('pre.raw').allTextContents()).join('\n')).toContain(JSON.stringify(XSS_SCRIPT).slice(1, -1));
  });

  it('in the logs: the wok link leads to /diag/wok/<id>, whose timeline and container tail show it as text', async () => {
    await s.signIn();
    const { page } = s;
    const h = s.console.hostile;
    await page.goto(`${s.console.url}/tickets/${h.cid}`);
    await Promise.all([page.waitForURL(`**/diag/wok/${h.wok}`), page.click(`.facts a[href="/diag/wok/${h.wok}"]`)]);
    await page.waitForSelector('table.timeline');
    const rows = page.locator('table.timeline tbody > tr', { hasText: h.cid });
    // Newest first: the audit entry (t+8 ms), then the failed request (t).
    expect(await rows.locator('.tk').allTextContents()).toEqual(['audit', 'request']);
    expect(await rows.nth(0).textContent()).toContain('wok.sql.exec (failure)');
    expect(await rows.nth(1).locator('code.code').textContent()).toBe('CP_SQL_ERROR');
    const db = page.locator('table.wok-containers tbody > tr', { hasText: `wok-${h.wok}-db` }).first();
    expect(await db.locator('td').nth(1).textContent()).toBe('db');
    await page.locator(`details.more > summary:text("wok-${h.wok}-db")`).click();
    expect(await page.locator('details.more[open] .msg .text').allTextContents()).toContain(h.pgError);
  });
});

describe('the watch on the browser', () => {
  it('would catch markup injected into a page: the CSP blocks it and reports it, and the page check finds it', async () => {
    await s.signIn();
    const { page, watch } = s;
    const cid = s.console.demo.featured[0].cid;
    // The real answer, headers (and CSP) included, with the payloads spliced in unescaped.
    await page.route(`**/tickets/${cid}`, async (route) => {
      const real = await route.fetch();
      await route.fulfill({ response: real, body: (await real.text()).replace('</main>', `${XSS_SCRIPT}${XSS_IMG}</main>`) });
    });
    await page.goto(`${s.console.url}/tickets/${cid}`);
    await page.waitForSelector('section.context');
    await expect.poll(() => watch.problems.filter((p) => p.includes('CSP violation')).length).toBeGreaterThanOrEqual(2);
    expect(watch.problems.join('\n')).toMatch(/CSP violation: script-src-elem blocked inline/);
    expect(watch.problems.join('\n')).toMatch(/CSP violation: script-src-attr blocked inline/);
    const found = await injectedMarkup(page);
    expect(found).toContain('<img onerror>');
    expect(found.some((f) => f.startsWith('<script> window.__xss'))).toBe(true);
    // Blocked, not run.
    expect(found.some((f) => f.startsWith('window.__xss'))).toBe(false);
    // Seen and checked: leave a clean page behind for the common check.
    watch.problems.length = 0;
    await page.unroute(`**/tickets/${cid}`);
    await page.goto(`${s.console.url}/`);
  });
});
